// Issue 12 item 1, through kubectl and the CLI: a JobSet never ends without a terminal condition.
// The upstream suspend/resume scenario that used to strand a JobSet (a second resume of Jobs that
// were already running got a 422 and ended the workflow), and a pod template the API server
// refuses, which is now refused by the workflow's admission dry run before anything is created.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stringify } from 'yaml';

import { childJobs } from '../integration/helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube, sleep } from '../integration/helpers/kube.js';
import {
  applyJobSet,
  deleteAllJobSets,
  installCrd,
  jobSetEvents,
  jsonpath,
  kubectl,
  smallJobSet,
  startBridge,
  startWorkerStack,
  type TestStack,
} from './helpers/bridge.js';
import { jobset, uniqueTaskQueue, workflowExists } from './helpers/cli.js';
import type { JobSetBridge } from '../../src/bridge/bridge.js';

const taskQueue = uniqueTaskQueue('e2e-never-stuck');
let stack: TestStack;
let bridge: JobSetBridge;
let ns: string;
let dir: string;

beforeAll(async () => {
  await installCrd();
  stack = await startWorkerStack(taskQueue);
  ns = await createTestNamespace('never-stuck');
  bridge = await startBridge(stack.client, taskQueue, ns);
  dir = mkdtempSync(join(tmpdir(), 'jobset-never-stuck-'));
});

afterAll(async () => {
  if (ns) await deleteAllJobSets(stack.client, ns).catch(() => undefined);
  await bridge?.stop();
  await stack?.stop();
  if (ns) await deleteTestNamespace(ns);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const wait = (what: string, name: string, timeout = '180s') => kubectl(['wait', '-n', ns, `--for=${what}`, `--timeout=${timeout}`, `jobset/${name}`]);

/** The JobSet with every replicated job's pod template given `nodeSelector`. */
function withNodeSelector(js: any, nodeSelector: Record<string, string>, suspend: boolean): any {
  const copy = structuredClone(js);
  copy.spec.suspend = suspend;
  for (const rjob of copy.spec.replicatedJobs) rjob.template.spec.template.spec.nodeSelector = nodeSelector;
  return copy;
}

// The fake nodes carry `type: kwok`. Upstream merges the template's nodeSelector into the Job's
// on resume (a key is overwritten, never removed), so "back" is the same key with a value that
// matches.
const nowhere = { type: 'nowhere' };
const fakeNodes = { type: 'kwok' };

describe('issue 12 item 1: no terminal-less end', () => {
  test('suspend, resume with an unsatisfiable nodeSelector, suspend, change the template back, resume: the JobSet completes', async () => {
    const base = withNodeSelector(smallJobSet('rjob', { replicas: 4, duration: '2s' }), fakeNodes, true);
    await applyJobSet(ns, base);
    await eventually('4 suspended Jobs', async () => {
      const jobs = await childJobs(ns, 'rjob');
      return jobs.length === 4 && jobs.every((j) => j.spec?.suspend === true) ? jobs : undefined;
    });

    // Resume onto nodes that do not exist: the Jobs start (startTime set), their pods stay Pending.
    await applyJobSet(ns, withNodeSelector(base, nowhere, false));
    await eventually('4 resumed Jobs with a start time', async () => {
      const jobs = await childJobs(ns, 'rjob');
      return jobs.length === 4 && jobs.every((j) => j.spec?.suspend === false && j.status?.startTime) ? jobs : undefined;
    });

    // Suspend again, then, while suspended, put the template back, then resume.
    await applyJobSet(ns, withNodeSelector(base, nowhere, true));
    await eventually('4 suspended Jobs again', async () => {
      const jobs = await childJobs(ns, 'rjob');
      return jobs.length === 4 && jobs.every((j) => j.spec?.suspend === true) ? jobs : undefined;
    });
    await applyJobSet(ns, withNodeSelector(base, fakeNodes, true));
    await sleep(1_000);
    await applyJobSet(ns, withNodeSelector(base, fakeNodes, false));

    const done = await wait('condition=Completed', 'rjob');
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(await jsonpath(ns, 'rjob', '{.status.replicatedJobsStatus[0].succeeded}')).toBe('4');
    // Every Job ran on a fake node: its template got the nodeSelector back.
    for (const job of await childJobs(ns, 'rjob')) expect(job.spec?.template.spec?.nodeSelector).toEqual(fakeNodes);
    // No resume was refused by the API server on the way.
    expect(stack.activityErrors.filter((e) => e.startsWith('resumeJobs'))).toEqual([]);
  });

  test('a pod template the API server refuses fails the resource at admission with the field path; nothing is created', async () => {
    const bad = smallJobSet('badname', { replicas: 2 });
    bad.spec.replicatedJobs[0].template.spec.template.spec.containers[0].name = 'Bad_Name';
    await applyJobSet(ns, bad);
    const failed = await wait('condition=Failed', 'badname', '60s');
    expect(failed.code).toBe(0);
    expect(await jsonpath(ns, 'badname', '{.status.conditions[?(@.type=="Failed")].reason}')).toBe('ValidationFailed');
    const message = await jsonpath(ns, 'badname', '{.status.conditions[?(@.type=="Failed")].message}');
    expect(message).toContain('spec.replicatedJobs[0].template.spec.template.spec.containers[0].name: Invalid value: "Bad_Name"');
    expect(await jsonpath(ns, 'badname', '{.status.terminalState}')).toBe('Failed');
    expect((await jobSetEvents(ns, 'badname')).some((e) => e.type === 'Warning' && e.reason === 'ValidationFailed')).toBe(true);
    expect(await childJobs(ns, 'badname')).toEqual([]);
    const services = await kube().core.listNamespacedService({ namespace: ns, labelSelector: 'jobset.sigs.k8s.io/jobset-name=badname' });
    expect(services.items).toEqual([]);
  });

  test('jobset submit of a pod template the API server refuses exits 2 with the path and creates nothing', async () => {
    const file = join(dir, 'cli-bad.yaml');
    const js = smallJobSet('cli-bad', { replicas: 2, managedBy: null });
    js.spec.replicatedJobs[0].template.spec.template.spec.containers[0].name = 'Bad_Name';
    writeFileSync(file, stringify(js));
    const r = await jobset(['submit', '-f', file, '-n', ns, '--task-queue', taskQueue]);
    expect(r.stderr).toContain('spec.replicatedJobs[0].template.spec.template.spec.containers[0].name: Invalid value: "Bad_Name"');
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('created');
    expect(await childJobs(ns, 'cli-bad')).toEqual([]);
    // The name reads as a failed JobSet, and can be deleted.
    const got = await jobset(['get', 'cli-bad', '-n', ns, '--task-queue', taskQueue, '-o', 'json']);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout).status.terminalState).toBe('Failed');
    expect((await jobset(['delete', 'cli-bad', '-n', ns, '--task-queue', taskQueue])).code).toBe(0);
    expect(await workflowExists(stack.client, `jobset/${ns}/cli-bad`)).toBe(true);
  });
});
