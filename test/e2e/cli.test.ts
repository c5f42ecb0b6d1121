// The `jobset` CLI as spawned processes against the real environment: every verb, the output
// formats and the exit codes (0 ok, 1 failed, 2 usage/validation, 3 timeout).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse, stringify } from 'yaml';

import { verbs } from '../../src/cli/commands/index.js';
import { childJobs } from '../integration/helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually } from '../integration/helpers/kube.js';
import { jobset, root, startWorker, uniqueTaskQueue, workflowExists, type TestWorker } from './helpers/cli.js';
import { workflowId } from '../../workflows/contract.js';

const taskQueue = uniqueTaskQueue('e2e-cli');
let worker: TestWorker;
let namespace: string;
let dir: string;

beforeAll(async () => {
  worker = await startWorker(taskQueue);
  namespace = await createTestNamespace('cli');
  dir = mkdtempSync(join(tmpdir(), 'jobset-cli-'));
});

afterAll(async () => {
  await worker?.stop();
  if (namespace) await deleteTestNamespace(namespace);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A client verb on this file's worker, in this file's namespace. */
const cli = (...args: string[]) => jobset([...args, '-n', namespace, '--task-queue', taskQueue]);

/** Writes a JobSet of one replicated job (single-pod Jobs) to a file and returns its path. */
function jobSetFile(name: string, options: { duration?: string; fail?: boolean; replicas?: number; labels?: Record<string, string> } = {}): string {
  const file = join(dir, `${name}-${Math.random().toString(36).slice(2, 8)}.yaml`);
  const annotations = { 'kwok-sim/run-duration': options.duration ?? '1s', ...(options.fail ? { 'kwok-sim/fail': 'true' } : {}) };
  writeFileSync(
    file,
    stringify({
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: { name, ...(options.labels ? { labels: options.labels } : {}) },
      spec: {
        replicatedJobs: [
          {
            name: 'w',
            replicas: options.replicas ?? 1,
            template: {
              spec: {
                backoffLimit: 0,
                template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
              },
            },
          },
        ],
      },
    }),
  );
  return file;
}

test('every verb answers --help with its usage and exit 0; no verb or an unknown one exits 2', async () => {
  for (const verb of verbs) {
    const r = await jobset([verb.name, '--help']);
    expect({ verb: verb.name, code: r.code }).toEqual({ verb: verb.name, code: 0 });
    expect(r.stdout).toContain(`Usage: jobset ${verb.name}`);
    expect(r.stdout).toContain('--help');
  }
  const top = await jobset(['--help']);
  expect(top.code).toBe(0);
  for (const verb of verbs) expect(top.stdout).toContain(verb.name);
  expect((await jobset([])).code).toBe(2);
  const unknown = await jobset(['frobnicate']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('unknown command "frobnicate"');
});

test('validate and submit of a broken file print the field path, exit 2, and start nothing', async () => {
  const file = join(dir, 'broken.yaml');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: { name: 'broken' },
      spec: { replicatedJobs: [{ name: 'w', replicas: -2, template: { spec: { template: { spec: { containers: [{ name: 'm', image: 'busybox' }] } } } } }] },
    }),
  );
  const validated = await jobset(['validate', '-f', file]);
  expect(validated.code).toBe(2);
  expect(validated.stderr).toMatch(/^spec\.replicatedJobs\[0\]\.replicas: /m);

  const submitted = await cli('submit', '-f', file);
  expect(submitted.code).toBe(2);
  expect(submitted.stderr).toMatch(/^spec\.replicatedJobs\[0\]\.replicas: /m);
  expect(submitted.stdout).toBe('');
  expect(await workflowExists(worker.client, workflowId(namespace, 'broken'))).toBe(false);

  // One broken document among good ones: still nothing is submitted.
  const good = jobSetFile('fine-too');
  const both = await cli('submit', '-f', good, '-f', file);
  expect(both.code).toBe(2);
  expect(both.stderr).toContain(`${file}: spec.replicatedJobs[0].replicas: `);
  expect(await workflowExists(worker.client, workflowId(namespace, 'fine-too'))).toBe(false);

  const missing = await cli('submit', '-f', join(dir, 'nope.yaml'));
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('cannot read');
});

test('submit, get in every format, list, describe, watch, wait and delete of a JobSet that completes', async () => {
  const file = jobSetFile('happy', { replicas: 2, labels: { team: 'e2e' } });
  const created = await cli('submit', '-f', file);
  expect(created).toMatchObject({ code: 0, stdout: 'jobset.jobset.x-k8s.io/happy created\n' });
  const again = await cli('submit', '-f', file);
  expect(again).toMatchObject({ code: 0, stdout: 'jobset.jobset.x-k8s.io/happy unchanged\n' });
  const conflict = await cli('submit', '-f', jobSetFile('happy', { replicas: 3, labels: { team: 'e2e' } }));
  expect(conflict.code).toBe(1);
  expect(conflict.stderr).toContain('already exists with a different spec');

  const waited = await cli('wait', 'happy', '--for=condition=Completed', '--timeout=2m');
  expect(waited).toMatchObject({ code: 0, stdout: 'jobset.jobset.x-k8s.io/happy condition met\n' });

  const table = await cli('get', 'happy');
  expect(table.code).toBe(0);
  const [header, row] = table.stdout.trimEnd().split('\n');
  expect(header?.split(/\s{2,}/)).toEqual(['NAME', 'STATE', 'RESTARTS', 'COMPLETED', 'SUSPENDED', 'AGE']);
  expect(row?.split(/\s+/).slice(0, 5)).toEqual(['happy', 'Completed', '0', 'True', 'false']);

  const wide = await cli('get', 'happy', '-o', 'wide');
  expect(wide.stdout.split('\n')[0]).toMatch(/TERMINALSTATE\s+JOBS\s+READY\s+SUCCEEDED\s+FAILED\s+WORKFLOW$/);
  expect(wide.stdout.split('\n')[1]).toMatch(new RegExp(`Completed\\s+2\\s+0\\s+2\\s+0\\s+jobset/${namespace}/happy$`));

  const json = JSON.parse((await cli('get', 'happy', '-o', 'json')).stdout);
  expect(json).toMatchObject({ apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', metadata: { name: 'happy', namespace, labels: { team: 'e2e' } } });
  expect(json.status).toMatchObject({ terminalState: 'Completed', restarts: 0, replicatedJobsStatus: [{ name: 'w', succeeded: 2 }] });
  expect(json.status.conditions).toContainEqual(expect.objectContaining({ type: 'Completed', status: 'True', reason: 'AllJobsCompleted' }));

  const yaml = parse((await cli('get', 'happy', '-o', 'yaml')).stdout);
  expect(yaml).toEqual(json);
  expect((await cli('get', 'happy', '-o', 'name')).stdout).toBe('jobset.jobset.x-k8s.io/happy\n');

  const listed = parse((await cli('list', '-l', 'team=e2e', '-o', 'yaml')).stdout);
  expect(listed).toMatchObject({ apiVersion: 'v1', kind: 'List' });
  expect(listed.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['happy']);
  expect((await cli('list', '-l', 'team!=e2e', '-o', 'name')).stdout).toBe('');
  const all = await jobset(['list', '-A', '--task-queue', taskQueue]);
  expect(all.code).toBe(0);
  expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+STATE/);
  expect(all.stdout).toMatch(new RegExp(`^${namespace}\\s+happy\\s+Completed`, 'm'));

  const described = await cli('describe', 'happy');
  expect(described.code).toBe(0);
  expect(described.stdout).toMatch(/^Name:\s+happy$/m);
  expect(described.stdout).toMatch(/^State:\s+Completed$/m);
  expect(described.stdout).toMatch(/^Restarts:\s+0 /m);
  expect(described.stdout).toMatch(/^\s+Completed\s+True\s+AllJobsCompleted\s/m);
  expect(described.stdout).toMatch(/^\s+w\s+2\s+0\s+0\s+2\s+0\s+0\s+0$/m);
  expect(described.stdout).toMatch(/^\s+happy-w-0\s+0\s+1\/1\s+0\s+0\s+Complete\s/m);
  expect(described.stdout).toMatch(/^\s+happy-w-1\s+0\s+1\/1\s+0\s+0\s+Complete\s/m);
  expect(described.stdout).toMatch(/^\s+Normal\s+AllJobsCompleted\s/m);

  const watched = await cli('watch', 'happy', '--interval', '200ms');
  expect(watched.code).toBe(0);
  expect(watched.stdout).toMatch(/Completed\s+restarts 0\s+w 0\/2 ready, 2 succeeded/);
  expect(watched.stdout.trimEnd().split('\n').at(-1)).toBe(
    'jobset.jobset.x-k8s.io/happy Completed (AllJobsCompleted: jobset completed successfully), restarts 0',
  );

  expect((await childJobs(namespace, 'happy')).length).toBe(2);
  expect(await cli('delete', 'happy')).toMatchObject({ code: 0, stdout: 'jobset.jobset.x-k8s.io/happy deleted\n' });
  expect(await childJobs(namespace, 'happy')).toEqual([]);
  const gone = await cli('get', 'happy');
  expect(gone.code).toBe(1);
  expect(gone.stderr).toContain(`jobsets "happy" not found in namespace "${namespace}"`);
  expect((await cli('delete', 'happy')).code).toBe(1);
  expect((await cli('describe', 'happy')).code).toBe(1);
  const empty = await cli('get');
  expect(empty).toMatchObject({ code: 0, stdout: '' });
  expect(empty.stderr).toContain(`No resources found in ${namespace} namespace.`);
});

test('submit --wait of a JobSet that completes exits 0 with the final state', async () => {
  const r = await cli('submit', '-f', jobSetFile('quick'), '--wait', '--timeout', '2m');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    'jobset.jobset.x-k8s.io/quick created\njobset.jobset.x-k8s.io/quick Completed (AllJobsCompleted: jobset completed successfully), restarts 0\n',
  );
  expect((await cli('delete', 'quick')).code).toBe(0);
});

test('suspend and resume; wait and watch time out with exit 3', async () => {
  expect((await cli('submit', '-f', jobSetFile('paused', { duration: '10m' }))).code).toBe(0);
  await eventually('the child Job', async () => ((await childJobs(namespace, 'paused')).length === 1 ? true : undefined));

  expect(await cli('suspend', 'paused')).toMatchObject({ code: 0, stdout: 'jobset.jobset.x-k8s.io/paused suspended\n' });
  expect((await cli('wait', 'paused', '--for=condition=Suspended', '--timeout=2m')).code).toBe(0);
  const table = await cli('get', 'paused');
  // COMPLETED is empty while the JobSet has no Completed condition.
  expect(table.stdout.split('\n')[1]?.split(/\s+/).slice(0, 4)).toEqual(['paused', 'Suspended', '0', 'true']);
  const suspendedOnly = await cli('list', '--state', 'Suspended', '-o', 'name');
  expect(suspendedOnly.stdout).toBe('jobset.jobset.x-k8s.io/paused\n');

  expect(await cli('resume', 'paused')).toMatchObject({ code: 0, stdout: 'jobset.jobset.x-k8s.io/paused resumed\n' });
  const json = JSON.parse((await cli('get', 'paused', '-o', 'json')).stdout);
  expect(json.spec.suspend).toBe(false);
  expect(json.status.conditions).toContainEqual(expect.objectContaining({ type: 'Suspended', status: 'False', reason: 'ResumeJobs' }));

  // Its pods run for 10 minutes: both give up at their timeout.
  const waited = await cli('wait', 'paused', '--for=condition=Completed', '--timeout=2s');
  expect(waited.code).toBe(3);
  expect(waited.stderr).toContain('timed out');
  const watched = await cli('watch', 'paused', '--timeout', '2s');
  expect(watched.code).toBe(3);
  expect(watched.stdout).toMatch(/Running\s+restarts 0/);

  expect((await cli('delete', 'paused')).code).toBe(0);
  expect(await childJobs(namespace, 'paused')).toEqual([]);
});

test('a failing JobSet: submit --wait, watch and wait exit 1, and a finished JobSet cannot be suspended', async () => {
  const r = await cli('submit', '-f', jobSetFile('doomed', { fail: true }), '--wait');
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('jobset.jobset.x-k8s.io/doomed created\n');
  expect(r.stderr).toContain(`JobSet ${namespace}/doomed failed: FailedJobs`);

  const watched = await cli('watch', 'doomed');
  expect(watched.code).toBe(1);
  expect(watched.stdout.trimEnd().split('\n').at(-1)).toMatch(/^jobset\.jobset\.x-k8s\.io\/doomed Failed \(FailedJobs: /);
  expect((await cli('wait', 'doomed', '--for=condition=Completed')).code).toBe(1);
  expect((await cli('wait', 'doomed', '--for=condition=Failed')).code).toBe(0);
  expect((await cli('get', 'doomed')).stdout.split('\n')[1]?.split(/\s+/).slice(0, 3)).toEqual(['doomed', 'Failed', '0']);

  const suspended = await cli('suspend', 'doomed');
  expect(suspended.code).toBe(1);
  expect(suspended.stderr).toContain('finished');
  expect((await cli('delete', 'doomed')).code).toBe(0);
  expect(await childJobs(namespace, 'doomed')).toEqual([]);
});

test('usage errors exit 2; an unreachable Temporal exits 1', async () => {
  const usage = [
    ['get', '-o', 'xml'],
    ['get', '--bogus'],
    ['get', 'a', '-A'],
    ['list', '-l', 'team=(a'],
    ['wait', 'x', '--for=Completed'],
    ['wait', 'x', '--timeout=soon'],
    ['wait'],
    ['submit'],
    ['delete'],
    ['describe', 'a', 'b'],
    ['watch', 'x', '--interval', 'fast'],
  ];
  for (const args of usage) {
    const r = await cli(...args);
    expect({ args, code: r.code }).toEqual({ args, code: 2 });
    expect(r.stderr).toMatch(/error|invalid/);
  }
  const unreachable = await jobset(['get', 'x', '--address', '127.0.0.1:1']);
  expect(unreachable.code).toBe(1);
  expect(unreachable.stderr).toMatch(/^error: /);
});

test('jobset worker runs JobSets until SIGTERM; a bad configuration exits 2', async () => {
  const { queue, child, stderr, exited } = await workerProcess('e2e-worker-verb');
  try {
    const r = await jobset(['submit', '-f', jobSetFile('by-verb'), '-n', namespace, '--task-queue', queue, '--wait', '--timeout', '2m']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('by-verb Completed');
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(stderr()).toContain('jobset worker: stopped');

  const bad = await jobset(['worker', '--address', 'nowhere']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--address (TEMPORAL_ADDRESS): must be host:port');
});

test('dev status reports both parts of the environment; dev up is idempotent; a bad action exits 2', async () => {
  const status = await jobset(['dev', 'status']);
  expect(status.code).toBe(0);
  expect(status.stdout).toContain('temporal: SERVING on 127.0.0.1:7233');
  expect(status.stdout).toMatch(/^cluster: up/m);
  const up = await jobset(['dev', 'up']);
  expect(up.code).toBe(0);
  expect(up.stderr).toContain('already SERVING');
  const env = await jobset(['dev', 'env']);
  expect(env.stdout).toMatch(/^export TEMPORAL_ADDRESS=/m);
  expect(env.stdout).toMatch(/^export KUBECONFIG=/m);
  expect((await jobset(['dev', 'sideways'])).code).toBe(2);
  expect((await jobset(['dev'])).code).toBe(2);
});

test('list leaves out a JobSet whose worker died, warns, and exits 0', async () => {
  // A running JobSet whose worker was SIGKILLed: the server still lists the dead worker's poller
  // for a while, so its queries are sent and time out (10 s). The Temporal client retries such a
  // request on a timer that once fired after the CLI had closed its connection: the table was
  // printed, then the process died with "Channel has been shut down" and exit 1.
  const { queue, child, exited } = await workerProcess('e2e-dead-worker');
  const submitted = await jobset(['submit', '-f', jobSetFile('orphaned', { duration: '1h' }), '-n', namespace, '--task-queue', queue]);
  expect(submitted.code).toBe(0);
  child.kill('SIGKILL');
  await exited;
  try {
    const r = await jobset(['list', '-n', namespace, '--task-queue', queue]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining(`warning: left out ${workflowId(namespace, 'orphaned')}: `),
    });
    expect(r.stderr).not.toContain('Channel has been shut down');
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+STATE/);
  } finally {
    await worker.client.workflow.getHandle(workflowId(namespace, 'orphaned')).terminate('the test is over');
  }
});

/** `jobset worker` as a process on a fresh task queue, once it has started. */
async function workerProcess(prefix: string) {
  const queue = uniqueTaskQueue(prefix);
  const child = spawn(process.execPath, [`${root}/bin/jobset.js`, 'worker', '--task-queue', queue], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await eventually('the worker to start', async () => (stderr.includes(`jobset worker: task queue ${queue}`) ? true : undefined), 120_000);
  return { queue, child, stderr: () => stderr, exited };
}
