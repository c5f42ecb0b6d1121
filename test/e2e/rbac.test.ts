// deploy/manifests on the local cluster: the kustomization is accepted by the API server, and the
// RBAC is enough for the worker and the bridge to do their whole job (proved by running JobSets
// with every Kubernetes call impersonating their ServiceAccounts) and no more (no Secrets).
import { KubeConfig } from '@kubernetes/client-node';

import { makeKubeClients, type KubeClients } from '../../src/k8s/client.js';
import { describeError, statusCode } from '../../src/k8s/errors.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube } from '../integration/helpers/kube.js';
import {
  applyJobSet,
  children,
  deleteAllJobSets,
  example,
  installCrd,
  jsonpath,
  kubectl,
  kubectlOk,
  smallJobSet,
  startBridge,
  startWorkerStack,
  type TestStack,
} from './helpers/bridge.js';
import { root, uniqueTaskQueue } from './helpers/cli.js';
import type { JobSetBridge } from '../../src/bridge/bridge.js';

const system = 'jobset-temporal-system';
const workerUser = `system:serviceaccount:${system}:jobset-temporal-worker`;
const bridgeUser = `system:serviceaccount:${system}:jobset-temporal-bridge`;

/** Clients whose every request (API calls and watches) impersonates `user`. */
function impersonating(user: string): KubeClients {
  const base = kube().config;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: base.clusters,
    contexts: base.contexts,
    currentContext: base.currentContext,
    users: base.users.map((u) => ({ ...u, impersonateUser: user })),
  });
  return makeKubeClients(kc);
}

beforeAll(async () => {
  await installCrd();
  // Only the namespace and RBAC: the Deployments' image does not exist on this cluster.
  await kubectlOk(['apply', '-f', `${root}/deploy/manifests/namespace.yaml`, '-f', `${root}/deploy/manifests/rbac.yaml`]);
});

test('kubectl apply -k deploy/manifests --dry-run=server is accepted', async () => {
  const r = await kubectl(['apply', '-k', `${root}/deploy/manifests`, '--dry-run=server']);
  expect(r.code).toBe(0);
  for (const object of [
    'customresourcedefinition.apiextensions.k8s.io/jobsets.jobset.x-k8s.io',
    'serviceaccount/jobset-temporal-worker',
    'serviceaccount/jobset-temporal-bridge',
    'clusterrole.rbac.authorization.k8s.io/jobset-temporal-worker',
    'clusterrole.rbac.authorization.k8s.io/jobset-temporal-bridge',
    'clusterrolebinding.rbac.authorization.k8s.io/jobset-temporal-worker',
    'clusterrolebinding.rbac.authorization.k8s.io/jobset-temporal-bridge',
    'deployment.apps/jobset-temporal-worker',
    'deployment.apps/jobset-temporal-bridge',
    'configmap/jobset-temporal-config-',
    'validatingadmissionpolicy.admissionregistration.k8s.io/jobsets.jobset-temporal.io',
    'validatingadmissionpolicybinding.admissionregistration.k8s.io/jobsets.jobset-temporal.io',
  ]) {
    expect(r.stdout).toContain(object);
  }
  // The restricted Pod Security level of the namespace admits the Deployments' pods as written.
  expect(r.stderr).not.toContain('would violate PodSecurity');
});

describe('kubectl auth can-i', () => {
  /** `resource/sub` asks about the subresource (kubectl's --subresource). */
  const canI = async (user: string, verb: string, resource: string, extra: string[] = []) => {
    const [name, sub] = resource.split('/') as [string, string | undefined];
    return (await kubectl(['auth', 'can-i', verb, name, ...(sub ? [`--subresource=${sub}`] : []), `--as=${user}`, ...extra])).stdout.trim();
  };

  it.each([
    ['list', 'jobs.batch'],
    ['watch', 'jobs.batch'],
    ['create', 'jobs.batch'],
    ['patch', 'jobs.batch'],
    ['update', 'jobs.batch'],
    ['delete', 'jobs.batch'],
    ['update', 'jobs.batch/status'],
    ['get', 'services'],
    ['create', 'services'],
    ['delete', 'services'],
    ['get', 'persistentvolumeclaims'],
    ['create', 'persistentvolumeclaims'],
    ['delete', 'persistentvolumeclaims'],
    ['create', 'events'],
    ['patch', 'jobsets.jobset.x-k8s.io/status'],
    ['update', 'jobsets.jobset.x-k8s.io/finalizers'],
  ])('the worker may %s %s in any namespace', async (verb, resource) => {
    expect(await canI(workerUser, verb, resource, ['--all-namespaces'])).toBe('yes');
  });

  it.each([
    ['get', 'jobsets.jobset.x-k8s.io'],
    ['list', 'jobsets.jobset.x-k8s.io'],
    ['watch', 'jobsets.jobset.x-k8s.io'],
    ['delete', 'jobsets.jobset.x-k8s.io'],
    ['patch', 'jobsets.jobset.x-k8s.io/status'],
    ['create', 'events'],
  ])('the bridge may %s %s in any namespace', async (verb, resource) => {
    expect(await canI(bridgeUser, verb, resource, ['--all-namespaces'])).toBe('yes');
  });

  it.each([
    [workerUser, 'get', 'secrets'],
    [workerUser, 'list', 'secrets'],
    [workerUser, 'list', 'pods'],
    [workerUser, 'create', 'jobsets.jobset.x-k8s.io'],
    [workerUser, 'update', 'jobsets.jobset.x-k8s.io'],
    [workerUser, 'delete', 'jobsets.jobset.x-k8s.io'],
    [workerUser, 'list', 'configmaps'],
    [workerUser, 'update', 'jobsets.jobset.x-k8s.io/status'],
    [workerUser, 'update', 'services'],
    [workerUser, 'list', 'persistentvolumeclaims'],
    [workerUser, 'deletecollection', 'jobs.batch'],
    [bridgeUser, 'get', 'secrets'],
    [bridgeUser, 'list', 'secrets'],
    [bridgeUser, 'create', 'jobs.batch'],
    [bridgeUser, 'list', 'jobs.batch'],
    [bridgeUser, 'update', 'jobsets.jobset.x-k8s.io'],
    [bridgeUser, 'create', 'jobsets.jobset.x-k8s.io'],
    [bridgeUser, 'list', 'pods'],
    [bridgeUser, 'update', 'jobsets.jobset.x-k8s.io/status'],
    [bridgeUser, 'create', 'services'],
  ])('%s may not %s %s', async (user, verb, resource) => {
    expect(await canI(user, verb, resource, ['--all-namespaces'])).toBe('no');
  });
});

describe('with only their RBAC', () => {
  const taskQueue = uniqueTaskQueue('e2e-rbac');
  const bridgeLog: string[] = [];
  let stack: TestStack;
  let bridge: JobSetBridge;
  let ns: string;
  const workerKube = impersonating(workerUser);
  const bridgeKube = impersonating(bridgeUser);
  const wait = (what: string, name: string) => kubectl(['wait', '-n', ns, `--for=${what}`, '--timeout=180s', `jobset/${name}`]);

  beforeAll(async () => {
    ns = await createTestNamespace('rbac');
    stack = await startWorkerStack(taskQueue, workerKube);
    bridge = await startBridge(stack.client, taskQueue, ns, { kube: bridgeKube });
    // The bridge logs every failed call (a 403 included); collect them from here on.
    (bridge as unknown as { log: (m: string) => void }).log = (m) => bridgeLog.push(m);
  });

  afterAll(async () => {
    if (ns) await deleteAllJobSets(stack.client, ns).catch(() => undefined);
    await bridge?.stop();
    await stack?.stop();
    if (ns) await deleteTestNamespace(ns);
  });

  it('the impersonated clients really are the ServiceAccounts: reading Secrets is forbidden', async () => {
    for (const clients of [workerKube, bridgeKube]) {
      const err = await clients.core.listNamespacedSecret({ namespace: ns }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(statusCode(err)).toBe(403);
      const one = await clients.core.readNamespacedSecret({ name: 'anything', namespace: ns }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(statusCode(one)).toBe(403);
    }
    const r = await kubectl(['get', 'secrets', '-n', ns, `--as=${workerUser}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Forbidden');
  });

  it('run, restart, suspend, resume, delete and TTL-expire JobSets through kubectl', async () => {
    // Restart (old-attempt Jobs deleted), status and events written.
    await applyJobSet(ns, example('failure-policy/restart-then-succeed.yaml'));
    expect(await wait('condition=Completed', 'restart-then-succeed')).toMatchObject({ code: 0 });
    expect(await jsonpath(ns, 'restart-then-succeed', '{.status.restarts}')).toBe('1');

    // Suspend (patch Jobs), resume (Job status + update), with a scheduling-field change.
    await applyJobSet(ns, smallJobSet('sus', { duration: '1h' }));
    await eventually('the Job', async () => ((await children(ns, 'sus')).some((c) => c.startsWith('job')) ? true : undefined));
    await kubectlOk(['patch', 'jobset', 'sus', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
    expect(await wait('condition=Suspended', 'sus')).toMatchObject({ code: 0 });
    // Resume only once the Job controller has deleted the suspended Job's (hour-long) pod.
    await eventually('the pod to be gone', async () => ((await children(ns, 'sus')).some((c) => c.startsWith('pod/')) ? undefined : true), 120_000);
    await kubectlOk([
      'patch',
      'jobset',
      'sus',
      '-n',
      ns,
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/replicatedJobs/0/template/spec/template/metadata/annotations/kwok-sim~1run-duration', value: '1s' }]),
    ]);
    await kubectlOk(['patch', 'jobset', 'sus', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    expect(await wait('condition=Completed', 'sus')).toMatchObject({ code: 0 });

    // Delete a running JobSet: cancel, delete the Jobs and the Service.
    await applyJobSet(ns, smallJobSet('del', { duration: '1h' }));
    await eventually('the Job and Service', async () => ((await children(ns, 'del')).length >= 2 ? true : undefined));
    await kubectlOk(['delete', 'jobset', 'del', '-n', ns]);
    await eventually('the children of del to be deleted', async () => ((await children(ns, 'del')).length === 0 ? true : undefined), 120_000);

    // The bridge refuses an invalid resource (status + event) and deletes after the TTL.
    await applyJobSet(ns, smallJobSet('bad', { extraSpec: { coordinator: { replicatedJob: 'nope' } } }));
    expect(await wait('condition=Failed', 'bad')).toMatchObject({ code: 0 });
    await applyJobSet(ns, smallJobSet('ttl', { extraSpec: { ttlSecondsAfterFinished: 0 } }));
    expect(await wait('delete', 'ttl')).toMatchObject({ code: 0 });

    // No call was forbidden: it would have failed an activity attempt or a bridge call (other
    // failures, such as a Conflict retried, are not this test's business).
    await bridge.whenIdle();
    const forbidden = /HTTP 403|forbidden/i;
    expect(stack.activityErrors.filter((e) => forbidden.test(e))).toEqual([]);
    expect(bridgeLog.filter((l) => forbidden.test(l))).toEqual([]);
    // The probe can see a 403: the same error text the activities produce.
    const probe = await workerKube.core.listNamespacedSecret({ namespace: ns }).then(
      () => '',
      (e: unknown) => describeError(e),
    );
    expect(probe).toMatch(forbidden);
  });
});
