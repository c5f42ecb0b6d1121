// `jobset describe NAME`: the JobSet's state, conditions, per-replicated-job counts and restarts
// from its workflow, and its child Jobs and Events read from Kubernetes ($KUBECONFIG).
import type { CoreV1Event, V1Job } from '@kubernetes/client-node';

import { KIND, Label } from '../../api/constants.js';
import { loadKubeConfig, makeKubeClients } from '../../k8s/client.js';
import { withClient } from '../client-errors.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags, namespaceFlag, namespaceOf, nameArgument } from '../connection.js';
import { humanDuration } from '../duration.js';
import { renderDescribe } from '../render.js';

const KUBE_TIMEOUT_MS = 15_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${KUBE_TIMEOUT_MS / 1000}s`)), KUBE_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
}

const reason = (err: unknown) => (err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));

export const describeCommand: Command = {
  name: 'describe',
  usage: 'describe NAME [-n NS] [--kubeconfig FILE]',
  flags: [
    namespaceFlag,
    { name: 'kubeconfig', value: 'FILE', description: 'cluster to read the child Jobs and Events from (default $KUBECONFIG)' },
    ...connectionFlags,
  ],
  details: 'Exit status: 0 shown, 1 no such JobSet or Temporal unreachable, 2 bad flags. An unreachable cluster only leaves the Jobs out.',

  async run(args, io: CliIO): Promise<number> {
    const name = nameArgument(args);
    const namespace = namespaceOf(args);
    return withClient(args, io, async (client) => {
      const info = await client.get(namespace, name);
      let jobs: V1Job[] | { error: string };
      let events: Array<{ type?: string; reason?: string; message?: string; age: string }> | { error: string };
      try {
        const kube = makeKubeClients(loadKubeConfig(args.get('kubeconfig') ?? process.env.KUBECONFIG));
        const uid = info.jobSet.metadata.uid;
        const selector = `${Label.JobSetName}=${name}${uid ? `,${Label.JobSetUID}=${uid}` : ''}`;
        const now = Date.now();
        const [jobList, eventList] = await Promise.all([
          within(kube.batch.listNamespacedJob({ namespace, labelSelector: selector }), 'listing Jobs'),
          within(kube.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=${KIND},involvedObject.name=${name}` }), 'listing Events'),
        ]);
        jobs = jobList.items.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
        const time = (e: CoreV1Event) => new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? now).getTime();
        events = eventList.items
          // Events of an earlier JobSet of the same name carry another UID.
          .filter((e) => !uid || !e.involvedObject.uid || e.involvedObject.uid === uid)
          .sort((a, b) => time(a) - time(b))
          .map((e) => ({
            ...(e.type ? { type: e.type } : {}),
            ...(e.reason ? { reason: e.reason } : {}),
            ...(e.message ? { message: e.message } : {}),
            age: humanDuration(now - time(e)),
          }));
      } catch (err) {
        jobs = { error: reason(err) };
        events = { error: reason(err) };
      }
      io.stdout.write(renderDescribe(info, jobs, events));
      return ExitCode.OK;
    });
  },
};
