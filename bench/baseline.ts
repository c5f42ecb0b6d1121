// The physical floor: the same child Jobs (built by src/core/manifests, so byte for byte what the
// orchestrator creates) created and deleted directly through the API, with no orchestrator, with
// the parallelism of a plain controller (50 requests in flight, as upstream's
// workqueue.ParallelizeUntil and our activities use). Timed through the same watch as the
// orchestrator, so the ratio compares like with like.
//
// Also runnable alone: `npx tsx bench/baseline.ts [R ...]` prints the creation floor for each R.
import { pathToFileURL } from 'node:url';

import type { JobSet, JobSetStatus } from '../src/api/schema.js';
import { initialStatus } from '../src/core/decide.js';
import { buildJob } from '../src/core/manifests.js';
import { createNamespace, deleteNamespace, jobSet, kube, mapLimit, podTemplate, Tracker } from './lib.js';

const PARALLELISM = 50;

/** A JobSet whose Jobs the floor creates: one rjob of R single-pod Jobs running for a long time. */
export function floorJobSet(namespace: string, name: string, replicas: number): JobSet {
  return jobSet(namespace, {
    metadata: { name },
    spec: { replicatedJobs: [{ name: 'w', replicas, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '30m' }) } } }] },
  });
}

async function createAll(js: JobSet, status: JobSetStatus): Promise<void> {
  const rjob = js.spec.replicatedJobs[0]!;
  const indexes = Array.from({ length: rjob.replicas }, (_, i) => i);
  await mapLimit(indexes, PARALLELISM, async (i) => {
    await kube().batch.createNamespacedJob({ namespace: js.metadata.namespace!, body: buildJob(js, rjob.name, i, status) });
  });
}

async function deleteAll(tracker: Tracker, js: JobSet): Promise<void> {
  const names = [...tracker.jobs.values()].filter((j) => j.live && j.jobSet === js.metadata.name).map((j) => j.name);
  await mapLimit(names, PARALLELISM, async (name) => {
    await kube()
      .batch.deleteNamespacedJob({ name, namespace: js.metadata.namespace!, propagationPolicy: 'Foreground' })
      .catch(() => undefined);
  });
}

export interface Latency {
  /** ms until every Job exists. */
  jobs: number;
  /** ms until every pod is Running. */
  running: number;
}

/** Creates the R Jobs of attempt 0 directly; times until they all exist and all their pods run. */
export async function floorCreate(tracker: Tracker, js: JobSet): Promise<Latency> {
  const name = js.metadata.name!;
  const r = js.spec.replicatedJobs[0]!.replicas;
  const t0 = Date.now();
  const jobs = tracker.until(`${r} floor Jobs of ${name}`, () => tracker.liveJobs(name, 0) >= r);
  const running = tracker.until(`${r} floor pods of ${name} Running`, () => tracker.runningPods(name, 0) >= r);
  await createAll(js, initialStatus());
  return { jobs: (await jobs) - t0, running: (await running) - t0 };
}

/**
 * A restart done by hand: delete every attempt-0 Job (foreground, as the orchestrator does) and
 * create its attempt-1 replacement, which reuses its name, as soon as it is gone (`blocking`
 * false: the best a Recreate controller can do) or once all of them are gone (`blocking` true:
 * BlockingRecreate). Times from the start until every new Job exists and every new pod runs.
 */
export async function floorRestart(tracker: Tracker, js: JobSet, blocking: boolean): Promise<Latency> {
  const name = js.metadata.name!;
  const rjob = js.spec.replicatedJobs[0]!;
  const r = rjob.replicas;
  const next = { ...initialStatus(), restarts: 1 };
  const t0 = Date.now();
  const jobs = tracker.until(`${r} attempt-1 floor Jobs of ${name}`, () => tracker.liveJobs(name, 1) >= r);
  const running = tracker.until(`${r} attempt-1 floor pods of ${name} Running`, () => tracker.runningPods(name, 1) >= r);
  await deleteAll(tracker, js);
  if (blocking) {
    await tracker.until(`attempt-0 floor Jobs of ${name} to be gone`, () => tracker.liveJobs(name, 0) === 0);
    await createAll(js, next);
  } else {
    await Promise.all(
      Array.from({ length: r }, async (_, i) => {
        const body = buildJob(js, rjob.name, i, next);
        await tracker.until(`${body.metadata.name} to be gone`, () => !tracker.isLive(body.metadata.name, 0));
        await kube().batch.createNamespacedJob({ namespace: js.metadata.namespace!, body });
      }),
    );
  }
  return { jobs: (await jobs) - t0, running: (await running) - t0 };
}

/** Deletes the floor Jobs and waits until they are gone. */
export async function floorDelete(tracker: Tracker, js: JobSet): Promise<void> {
  await deleteAll(tracker, js);
  await tracker.until(`floor Jobs of ${js.metadata.name} to be gone`, () => tracker.liveJobs(js.metadata.name!) === 0);
}

async function main(): Promise<void> {
  const rs = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const ns = await createNamespace('bench-floor');
  const tracker = await Tracker.start(ns);
  try {
    for (const r of rs.length > 0 ? rs : [10, 50]) {
      const js = floorJobSet(ns, `floor-${r}`, r);
      const l = await floorCreate(tracker, js);
      console.log(`R=${r}: all Jobs exist after ${l.jobs} ms, all pods Running after ${l.running} ms`);
      await floorDelete(tracker, js);
    }
  } finally {
    tracker.stop();
    await deleteNamespace(ns);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
