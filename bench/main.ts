// `npm run bench`: creation and restart latency against the direct-API floor, throughput, cost
// (API requests, Temporal history events, worker CPU and memory, open watches) and, opt-in, scale.
// Runs on the local environment (shared dev server 127.0.0.1:7233, local cluster), in fresh
// namespaces under a fresh task queue; prints a table and writes bench/results/<timestamp>.json.
// `regex` (message-pattern matching, bench/regex.ts) is opt-in and needs neither; `cli` (the
// built CLI's start-up, bench/cli.ts) is opt-in and needs only the Temporal dev server.
//
//   npm run bench -- [--runs 3] [--replicas 10,50,200] [--restart-replicas 50] [--throughput 10]
//                    [--fail-after 20s] [--only creation,restart,throughput,regex,cli,large]
//                    [--scale 1000] [--large-replicas 5000]
// `large` (opt-in) runs one JobSet of --large-replicas single-pod Jobs through a restart to
// Completed and prints what its history holds: the largest payload and the events per run.
//
//   npm run bench -- --peer upstream [--runs 3] [--replicas 10,50,200] [--restart-replicas 50]
//                    [--burst 100] [--only creation,restart,throughput] [--scale N] [--workers W]
// runs the same scenarios through kubectl against the upstream controller and ours (bench/peer.ts)
// and writes the table into docs/bench.md. Ours runs W worker processes (default: 2 with --scale,
// else 1).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';

import type { JobSet } from '../src/api/schema.js';
import { jobSetWorkflow } from '../workflows/jobset.js';
import { statusQuery, workflowId } from '../workflows/contract.js';
import { floorCreate, floorDelete, floorJobSet, floorRestart, type Latency } from './baseline.js';
import {
  apiRequestCounts,
  createNamespace,
  deleteNamespace,
  diffCounts,
  jobSet,
  mapLimit,
  openJobWatches,
  podTemplate,
  root,
  sleep,
  stat,
  timeEach,
  Tracker,
  WorkerProcess,
  type Stat,
} from './lib.js';
import { measureCli } from './cli.js';
import { historyFigures } from './history.js';
import { peerBench, type PeerRow } from './peer.js';
import { measureRegex, quantile, REGEX_TARGET_MS } from './regex.js';
import { warmUp } from './warmup.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    replicas: { type: 'string', default: '10,50,200' },
    'restart-replicas': { type: 'string', default: '50' },
    throughput: { type: 'string', default: '10' },
    'fail-after': { type: 'string', default: '20s' },
    only: { type: 'string', default: 'creation,restart,throughput' },
    scale: { type: 'string' },
    'large-replicas': { type: 'string', default: '5000' },
    peer: { type: 'string' },
    burst: { type: 'string', default: '100' },
    workers: { type: 'string' },
    address: { type: 'string', default: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' },
  },
});
const runs = Number(args.runs);
const replicaList = args.replicas
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const restartReplicas = Number(args['restart-replicas']);
const throughputN = Number(args.throughput);
const failAfter = args['fail-after'];
const only = new Set(args.only.split(','));
const scaleN = args.scale ? Number(args.scale) : 0;
const largeReplicas = Number(args['large-replicas']);
const needsEnvironment = ['creation', 'restart', 'throughput', 'large'].some((s) => only.has(s)) || scaleN > 0;

type Handle = WorkflowHandle<typeof jobSetWorkflow>;

interface Row {
  figure: string;
  unit: string;
  value: Stat;
  floor?: Stat;
  ratio?: Stat;
  target?: string;
  met?: boolean;
}

const rows: Row[] = [];
const extra: Record<string, unknown> = {};
const taskQueue = `bench-${Date.now().toString(36)}`;
let client: Client;
let worker: WorkerProcess;

function log(msg: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

async function start(js: JobSet): Promise<Handle> {
  return client.workflow.start(jobSetWorkflow, {
    taskQueue,
    workflowId: workflowId(js.metadata.namespace!, js.metadata.name!),
    args: [{ jobSet: js }],
  });
}

/** Cancels (= deletes) a running JobSet and waits until its cleanup has ended. */
async function remove(handle: Handle): Promise<void> {
  await handle.cancel().catch(() => undefined);
  await handle.result().catch(() => undefined);
}

function ratioRow(figure: string, values: number[], floors: number[], target = 1.5): Row {
  const ratios = values.map((v, i) => v / Math.max(floors[i] ?? NaN, 1));
  const r = stat(ratios);
  return { figure, unit: 'ms', value: stat(values), floor: stat(floors), ratio: r, target: `<= ${target}x floor`, met: r.median <= target };
}

// ------------------------------------------------------------------------------------------------
// creation latency: 1 rjob x R single-pod Jobs, submit -> all R Jobs exist -> all R pods Running

async function creation(): Promise<void> {
  const ns = await createNamespace('bench-create');
  const tracker = await Tracker.start(ns);
  try {
    for (const r of replicaList) {
      const got: Latency[] = [];
      const floor: Latency[] = [];
      for (let run = 0; run < runs; run++) {
        const js = jobSet(ns, {
          metadata: { name: `c${r}-${run}` },
          spec: {
            replicatedJobs: [{ name: 'w', replicas: r, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '30m' }) } } }],
          },
        });
        const name = js.metadata.name!;
        const t0 = Date.now();
        const jobs = tracker.until(`${r} Jobs of ${name}`, () => tracker.liveJobs(name, 0) >= r);
        const running = tracker.until(`${r} pods of ${name} Running`, () => tracker.runningPods(name, 0) >= r);
        const handle = await start(js);
        got.push({ jobs: (await jobs) - t0, running: (await running) - t0 });
        await remove(handle);

        const fjs = floorJobSet(ns, `f${r}-${run}`, r);
        floor.push(await floorCreate(tracker, fjs));
        await floorDelete(tracker, fjs);
        log(
          `creation R=${r} run ${run + 1}/${runs}: jobs ${got[run]!.jobs} ms (floor ${floor[run]!.jobs}), running ${got[run]!.running} ms (floor ${floor[run]!.running})`,
        );
      }
      rows.push(
        ratioRow(
          `creation R=${r}: submit -> all Jobs exist`,
          got.map((l) => l.jobs),
          floor.map((l) => l.jobs),
        ),
      );
      rows.push(
        ratioRow(
          `creation R=${r}: submit -> all pods Running`,
          got.map((l) => l.running),
          floor.map((l) => l.running),
        ),
      );
    }
  } finally {
    tracker.stop();
    await deleteNamespace(ns);
  }
}

// ------------------------------------------------------------------------------------------------
// restart latency: R Jobs, one fails; from its Failed condition to all new-attempt Jobs / pods

async function restart(): Promise<void> {
  const ns = await createNamespace('bench-restart');
  const tracker = await Tracker.start(ns);
  const r = restartReplicas;
  const floors: Record<string, Latency[]> = { Recreate: [], BlockingRecreate: [] };
  const by: Record<string, Latency[]> = { Recreate: [], BlockingRecreate: [] };
  try {
    for (let run = 0; run < runs; run++) {
      for (const restartStrategy of ['Recreate', 'BlockingRecreate'] as const) {
        // r-1 long-running Jobs and one whose pod fails `failAfter` after it starts, in attempt 0 only.
        const js = jobSet(ns, {
          metadata: { name: `r${restartStrategy === 'Recreate' ? 're' : 'bl'}-${run}` },
          spec: {
            failurePolicy: { maxRestarts: 1, restartStrategy },
            replicatedJobs: [
              { name: 'w', replicas: r - 1, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '30m' }) } } },
              {
                name: 'f',
                replicas: 1,
                template: {
                  spec: {
                    backoffLimit: 0,
                    template: podTemplate({ 'kwok-sim/run-duration': failAfter, 'kwok-sim/fail': 'true', 'kwok-sim/fail-restart-attempts': '0' }),
                  },
                },
              },
            ],
          },
        });
        const name = js.metadata.name!;
        const handle = await start(js);
        await tracker.until(`${r} attempt-0 pods of ${name} Running`, () => tracker.runningPods(name, 0) >= r);
        if (tracker.firstFailure(name) !== undefined) throw new Error(`the failing Job of ${name} failed before all pods ran: raise --fail-after`);
        const jobs = tracker.until(`${r} attempt-1 Jobs of ${name}`, () => tracker.liveJobs(name, 1) >= r);
        const running = tracker.until(`${r} attempt-1 pods of ${name} Running`, () => tracker.runningPods(name, 1) >= r);
        const tFail = await tracker.until(`a Job of ${name} to fail`, () => tracker.firstFailure(name) !== undefined);
        const failedAt = tracker.firstFailure(name) ?? tFail;
        by[restartStrategy]!.push({ jobs: (await jobs) - failedAt, running: (await running) - failedAt });
        await remove(handle);
        log(
          `restart ${restartStrategy} R=${r} run ${run + 1}/${runs}: jobs ${by[restartStrategy]!.at(-1)!.jobs} ms, running ${by[restartStrategy]!.at(-1)!.running} ms`,
        );
      }
      for (const strategy of ['Recreate', 'BlockingRecreate'] as const) {
        const fjs = floorJobSet(ns, `f${strategy === 'Recreate' ? 're' : 'bl'}-${run}`, r);
        await floorCreate(tracker, fjs);
        floors[strategy]!.push(await floorRestart(tracker, fjs, strategy === 'BlockingRecreate'));
        await floorDelete(tracker, fjs);
        log(
          `restart floor ${strategy} R=${r} run ${run + 1}/${runs}: jobs ${floors[strategy]!.at(-1)!.jobs} ms, running ${floors[strategy]!.at(-1)!.running} ms`,
        );
      }
    }
    for (const strategy of ['Recreate', 'BlockingRecreate']) {
      rows.push(
        ratioRow(
          `restart ${strategy} R=${r}: Failed -> all new Jobs exist`,
          by[strategy]!.map((l) => l.jobs),
          floors[strategy]!.map((l) => l.jobs),
        ),
      );
      rows.push(
        ratioRow(
          `restart ${strategy} R=${r}: Failed -> all new pods Running`,
          by[strategy]!.map((l) => l.running),
          floors[strategy]!.map((l) => l.running),
        ),
      );
    }
  } finally {
    tracker.stop();
    await deleteNamespace(ns);
  }
}

// ------------------------------------------------------------------------------------------------
// throughput and cost: N JobSets of 4 Jobs (pods 2 s) submitted at once, until all Completed

/** Events in the JobSet's history, over every run of a continue-as-new chain. */
async function historyEvents(id: string): Promise<number> {
  let runId: string | undefined;
  let total = 0;
  for (;;) {
    const history = await client.workflow.getHandle(id, runId).fetchHistory();
    const events = history.events ?? [];
    total += events.length;
    const prev = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!prev) return total;
    runId = prev;
  }
}

async function throughput(): Promise<void> {
  const perMin: number[] = [];
  const wall: number[] = [];
  const requests: number[] = [];
  const events: number[] = [];
  const cpu: number[] = [];
  const watches: number[] = [];
  const breakdowns: Array<Record<string, number>> = [];
  for (let run = 0; run < runs; run++) {
    const ns = await createNamespace('bench-tput');
    try {
      const sets = Array.from({ length: throughputN }, (_, i) =>
        jobSet(ns, {
          metadata: { name: `t${i}` },
          spec: {
            replicatedJobs: [{ name: 'w', replicas: 4, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '2s' }) } } }],
          },
        }),
      );
      const watchesBefore = await openJobWatches();
      const before = await apiRequestCounts();
      const cpuBefore = worker.cpuSeconds();
      let peakWatches = watchesBefore;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peakWatches = Math.max(peakWatches, await openJobWatches().catch(() => 0));
          await sleep(1_000);
        }
      })();
      const t0 = Date.now();
      const handles = await Promise.all(sets.map(start));
      const statuses = await Promise.all(handles.map(async (h) => (await h.result()).status));
      const elapsed = Date.now() - t0;
      sampling = false;
      await sampler;
      const cpuUsed = worker.cpuSeconds() - cpuBefore;
      const delta = diffCounts(before, await apiRequestCounts());
      const notCompleted = statuses.filter((s) => s.terminalState !== 'Completed').length;
      if (notCompleted > 0) throw new Error(`${notCompleted} throughput JobSets did not complete`);
      const perJobSet = Object.fromEntries([...delta.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / throughputN) * 10) / 10]));
      const hist = await mapLimit(handles, 8, (h) => historyEvents(h.workflowId));

      wall.push(elapsed);
      perMin.push((throughputN / elapsed) * 60_000);
      requests.push([...delta.values()].reduce((a, b) => a + b, 0) / throughputN);
      events.push(stat(hist).median);
      cpu.push(cpuUsed / throughputN);
      watches.push(peakWatches - watchesBefore);
      breakdowns.push(perJobSet);
      log(
        `throughput run ${run + 1}/${runs}: ${throughputN} JobSets in ${elapsed} ms; ${requests.at(-1)!.toFixed(1)} API requests, ${events.at(-1)} history events, ${cpu.at(-1)!.toFixed(3)} CPU s per JobSet`,
      );
    } finally {
      await deleteNamespace(ns);
    }
  }
  rows.push({ figure: `throughput: ${throughputN} JobSets x 4 Jobs (pods 2 s), submit -> all Completed`, unit: 'ms', value: stat(wall) });
  rows.push({ figure: 'throughput: JobSets completed per minute', unit: '/min', value: stat(perMin) });
  rows.push({ figure: 'cost: apiserver requests per JobSet (all clients, incl. Job controller, scheduler, KWOK)', unit: 'req', value: stat(requests) });
  const ev = stat(events);
  rows.push({ figure: 'cost: Temporal history events per simple JobSet lifecycle', unit: 'events', value: ev, target: '< 200', met: ev.median < 200 });
  rows.push({ figure: 'cost: worker CPU seconds per JobSet', unit: 's', value: stat(cpu) });
  rows.push({ figure: `cost: open Job watches at peak (above idle) with ${throughputN} JobSets`, unit: 'watches', value: stat(watches) });
  const mem = worker.memory();
  rows.push({ figure: 'cost: worker peak RSS over the whole bench so far', unit: 'MiB', value: stat([mem.peakRss / 2 ** 20]) });
  extra.apiRequestsPerJobSetByVerbAndResource = breakdowns;
}

// ------------------------------------------------------------------------------------------------
// scale (opt-in): N long-running JobSets on one worker

async function scale(n: number): Promise<void> {
  const ns = await createNamespace('bench-scale');
  const tracker = await Tracker.start(ns);
  const handles: Handle[] = [];
  try {
    const watchesBefore = await openJobWatches();
    const t0 = Date.now();
    await mapLimit(
      Array.from({ length: n }, (_, i) => i),
      50,
      async (i) => {
        const js = jobSet(ns, {
          metadata: { name: `s${i}` },
          spec: {
            replicatedJobs: [{ name: 'w', replicas: 1, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '2h' }) } } }],
          },
        });
        handles.push(await start(js));
      },
    );
    const running = () => {
      let c = 0;
      for (const p of tracker.pods.values()) if (p.running) c++;
      return c;
    };
    await tracker.until(`${n} scale pods Running`, () => running() >= n, Math.max(600_000, n * 2_000));
    log(`scale: ${n} JobSets running after ${Date.now() - t0} ms`);
    await sleep(10_000);
    const mem = worker.memory();
    const watches = (await openJobWatches()) - watchesBefore;

    const queries = await timeEach(20, () => handles[Math.floor(Math.random() * handles.length)]!.query(statusQuery));

    // One more JobSet whose pod fails 5 s after it starts: from its Job's Failed condition to the
    // workflow having ended Failed (maxRestarts 0).
    const failing = jobSet(ns, {
      metadata: { name: 'scale-fail' },
      spec: {
        replicatedJobs: [
          {
            name: 'w',
            replicas: 1,
            template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '5s', 'kwok-sim/fail': 'true' }) } },
          },
        ],
      },
    });
    const fh = await start(failing);
    const ended = await fh.result().then(
      () => Date.now(),
      (err: unknown) => {
        if (!(err instanceof WorkflowFailedError)) throw err;
        return Date.now();
      },
    );
    const failedAt = tracker.firstFailure('scale-fail');
    if (failedAt === undefined) throw new Error('the failing scale JobSet ended without a failed Job');
    const gib = mem.rss / 2 ** 30;
    rows.push({
      figure: `scale: worker RSS with ${n} running JobSets`,
      unit: 'MiB',
      value: stat([mem.rss / 2 ** 20]),
      target: '< 2048 MiB at 1,000',
      met: n >= 1000 ? gib < 2 : undefined,
    });
    rows.push({ figure: `scale: worker peak RSS with ${n} running JobSets`, unit: 'MiB', value: stat([mem.peakRss / 2 ** 20]) });
    rows.push({ figure: `scale: open Job watches with ${n} running JobSets`, unit: 'watches', value: stat([watches]) });
    rows.push({ figure: `scale: status query time with ${n} running JobSets`, unit: 'ms', value: stat(queries) });
    rows.push({ figure: `scale: Job Failed -> JobSet Failed, with ${n} running JobSets`, unit: 'ms', value: stat([ended - failedAt]) });
    handles.push(fh);
  } finally {
    log('scale: deleting the JobSets');
    await mapLimit(handles, 50, (h) => h.cancel().catch(() => undefined));
    await mapLimit(handles, 50, (h) => h.result().catch(() => undefined));
    tracker.stop();
    await deleteNamespace(ns);
  }
}

// ------------------------------------------------------------------------------------------------
// regex: one onJobFailureMessagePatterns match, in this process (no cluster, no server)

function regex(): void {
  const f = measureRegex();
  const target = `<= ${REGEX_TARGET_MS} ms`;
  const match = stat(f.matchMs);
  const p99 = quantile(f.matchMs, 0.99);
  log(`regex: ${f.patterns} patterns x ${f.messageChars}-char messages: median ${fmt(match.median)} ms, p99 ${fmt(p99)} ms, max ${fmt(match.max)} ms`);
  const what = `${f.patterns} random nested-quantifier patterns x ${f.messageChars}-char messages`;
  rows.push({ figure: `regex: one match, ${what}`, unit: 'ms', value: match, target, met: match.max <= REGEX_TARGET_MS });
  rows.push({ figure: `regex: one match, p99 of the same`, unit: 'ms', value: stat([p99]), target, met: p99 <= REGEX_TARGET_MS });
  rows.push({ figure: `regex: compile one pattern, same patterns`, unit: 'ms', value: stat(f.compileMs) });
  rows.push({
    figure: `regex: one match, largest valid pattern ${f.largest.pattern} x ${f.largest.messageChars}-char message`,
    unit: 'ms',
    value: stat([f.largest.ms]),
    target,
    met: f.largest.ms <= REGEX_TARGET_MS,
  });
}

function cli(): void {
  const cliRuns = Math.max(runs, 10);
  const figures = measureCli(cliRuns, args.address);
  const floor = stat(figures[0]!.ms);
  for (const f of figures) {
    const value = stat(f.ms);
    log(`cli: ${f.what}: median ${fmt(value.median)} ms (${fmt(value.min)}-${fmt(value.max)}) over ${cliRuns} runs`);
    rows.push({
      figure: `cli: ${f.what}`,
      unit: 'ms',
      value,
      ...(f.targetMs !== undefined ? { floor, target: `<= ${f.targetMs} ms`, met: value.median <= f.targetMs } : {}),
    });
  }
}

// ------------------------------------------------------------------------------------------------

function fmt(n: number | undefined, unit = ''): string {
  if (n === undefined || Number.isNaN(n)) return '';
  const s = Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
  return unit ? `${s} ${unit}` : s;
}

function range(s: Stat | undefined, unit: string): string {
  if (!s || s.n === 0) return '';
  return s.n > 1 ? `${fmt(s.median, unit)} (${fmt(s.min)}-${fmt(s.max)})` : fmt(s.median, unit);
}

// ------------------------------------------------------------------------------------------------
// the largest JobSet: R single-pod Jobs, Job 0 fails once (one global restart), then Completed;
// what crosses the workflow boundary must stay small (issue 12 item 4)

async function large(replicas: number): Promise<void> {
  const ns = await createNamespace('bench-large');
  try {
    const js = jobSet(ns, {
      metadata: { name: 'large' },
      spec: {
        failurePolicy: { maxRestarts: 1 },
        replicatedJobs: [
          {
            name: 'w',
            replicas,
            template: {
              spec: {
                backoffLimit: 0,
                template: podTemplate({ 'kwok-sim/run-duration': '5s', 'kwok-sim/fail-job-indexes': '0', 'kwok-sim/fail-restart-attempts': '0' }),
              },
            },
          },
        ],
      },
    });
    const t0 = Date.now();
    const handle = await start(js);
    const firstRunId = (await handle.describe()).runId;
    const progress = setInterval(() => {
      void handle
        .query(statusQuery)
        .then((s) =>
          log(
            `large: ${Math.round((Date.now() - t0) / 1000)} s, restarts ${s.restarts}, ${JSON.stringify(s.replicatedJobsStatus.map(({ name, active, ready, succeeded, failed }) => ({ name, active, ready, succeeded, failed })))}`,
          ),
        )
        .catch(() => undefined);
    }, 30_000);
    let result;
    try {
      result = await handle.result();
    } finally {
      clearInterval(progress);
    }
    const seconds = (Date.now() - t0) / 1000;
    const figures = await historyFigures(client, handle.workflowId, firstRunId);
    log(
      `large: ${result.status.terminalState} after ${seconds} s, ${result.status.restarts} restart(s); largest payload ${figures.maxPayloadBytes} B at ${figures.maxPayloadWhere}`,
    );
    const payloadLimit = 256 * 1024;
    rows.push(
      {
        figure: `large: ${replicas} Jobs created, restarted once, Completed`,
        unit: 's',
        value: stat([seconds]),
        target: 'Completed, 1 restart',
        met: result.status.terminalState === 'Completed' && result.status.restarts === 1,
      },
      {
        figure: `large: largest payload in history (${figures.maxPayloadWhere})`,
        unit: 'B',
        value: stat([figures.maxPayloadBytes]),
        target: `< ${payloadLimit} B (256 KiB)`,
        met: figures.maxPayloadBytes < payloadLimit,
      },
      {
        figure: `large: events in the longest of ${figures.runs} runs`,
        unit: '',
        value: stat([figures.maxEventsPerRun]),
        target: '< 10000',
        met: figures.maxEventsPerRun < 10_000,
      },
      { figure: 'large: payload bytes in history, all runs', unit: 'B', value: stat([figures.totalPayloadBytes]) },
      { figure: 'large: worker peak RSS', unit: 'MiB', value: stat([worker.memory().peakRss / 2 ** 20]) },
    );
    extra.large = { replicas, seconds, figures };
    await remove(handle);
  } finally {
    await deleteNamespace(ns);
  }
}

function markdownTable(header: string[], body: string[][]): string {
  return [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const ratioCell = (r: Stat | undefined): string => (r ? `${fmt(r.median)}x (${fmt(r.min)}-${fmt(r.max)})` : '');
const metCell = (met: boolean | undefined): string => (met === undefined ? '' : met ? 'yes' : 'NO');

function table(): string {
  const header = ['figure', 'median (min-max)', 'floor', 'ratio', 'target', 'met'];
  return markdownTable(
    header,
    rows.map((r) => [r.figure, range(r.value, r.unit), range(r.floor, r.unit), ratioCell(r.ratio), r.target ?? '', metCell(r.met)]),
  );
}

async function onEnvironment(): Promise<void> {
  const connection = await Connection.connect({ address: args.address });
  client = new Client({ connection });
  worker = WorkerProcess.start(args.address, taskQueue);
  log(`worker on task queue ${taskQueue}; runs ${runs}; sections ${[...only].join(', ')}${scaleN ? `, scale ${scaleN}` : ''}`);
  try {
    await sleep(3_000);
    if (worker.child.exitCode !== null) throw new Error(`the worker exited:\n${worker.output()}`);
    await warmUp(client, taskQueue);
    if (only.has('creation')) await creation();
    if (only.has('restart')) await restart();
    if (only.has('throughput')) await throughput();
    if (scaleN > 0) await scale(scaleN);
    if (only.has('large')) await large(largeReplicas);
  } finally {
    await worker.stop();
    await connection.close();
  }
}

// ------------------------------------------------------------------------------------------------
// --peer upstream

// The default sections and a run of --scale alone each have their own table in docs/bench.md.
const peerMarkers = (scaleOnly: boolean) =>
  scaleOnly
    ? { begin: '<!-- peer-scale-table:begin (written by `npm run bench -- --peer upstream --only none --scale N`) -->', end: '<!-- peer-scale-table:end -->' }
    : { begin: '<!-- peer-table:begin (written by `npm run bench -- --peer upstream`) -->', end: '<!-- peer-table:end -->' };

function peerTable(peerRows: PeerRow[], processes: Awaited<ReturnType<typeof peerBench>>['processes']): string {
  const figures = markdownTable(
    ['figure', 'upstream median (min-max)', 'ours median (min-max)', 'ours / upstream', 'target', 'met'],
    peerRows.map((r) => [r.figure, range(r.upstream, r.unit), range(r.ours, r.unit), ratioCell(r.ratio), r.target ?? '', metCell(r.met)]),
  );
  const procs = markdownTable(
    ['process', 'peak RSS', "CPU over its side's runs"],
    (['upstream', 'ours'] as const).flatMap((side) =>
      Object.entries(processes[side]).map(([name, p]) => [`${side}: ${name}`, fmt(p.peakRssMiB, 'MiB'), fmt(p.cpuSeconds, 's')]),
    ),
  );
  return `${figures}\n\n${procs}`;
}

async function peer(startedAt: Date): Promise<void> {
  const scaleOnly = !['creation', 'restart', 'throughput'].some((x) => only.has(x));
  if (args.peer !== 'upstream') throw new Error(`--peer ${args.peer}: the only peer is "upstream"`);
  const options = {
    runs,
    replicas: replicaList,
    restartReplicas,
    burst: Number(args.burst),
    concurrent: scaleN,
    // Two workers share the scale run (issue 13: 10,000 JobSets on two workers); one otherwise.
    workers: Number(args.workers ?? (scaleN > 0 ? 2 : 1)),
    failAfter,
    address: args.address,
    only,
    log,
  };
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`--workers ${args.workers}: a whole number of worker processes, at least 1`);
  log(`peer benchmark against upstream: runs ${runs}; sections ${[...only].join(', ')}${scaleN ? `, ${scaleN} concurrent` : ''}`);
  const result = await peerBench(options);
  const out = peerTable(result.rows, result.processes);
  console.log(out);
  mkdirSync(`${root}bench/results`, { recursive: true });
  const file = `${root}bench/results/peer-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt, finishedAt: new Date(), options: { ...options, only: [...only], log: undefined }, ...result }, null, 2)}\n`,
  );
  // The table goes into docs/bench.md between its markers, dated, with what was run.
  const doc = `${root}docs/bench.md`;
  const text = readFileSync(doc, 'utf8');
  const markers = peerMarkers(scaleOnly);
  const begin = text.indexOf(markers.begin);
  const end = text.indexOf(markers.end);
  if (begin < 0 || end < begin) throw new Error(`docs/bench.md has no markers ${markers.begin}; the table is in ${file}`);
  const what =
    `Measured ${startedAt.toISOString().slice(0, 10)}: ${scaleOnly ? 'one run per side' : `${runs} run(s) per figure, sides alternating`}; \`npm run bench -- --peer upstream ${process.argv
      .slice(2)
      .filter((a, i, all) => a !== '--peer' && all[i - 1] !== '--peer')
      .join(' ')}\``.trimEnd();
  writeFileSync(doc, `${text.slice(0, begin + markers.begin.length)}\n${what}\n\n${out}\n${text.slice(end)}`);
  console.log(`\nwritten ${file} and the table in docs/bench.md`);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  if (args.peer !== undefined) return peer(startedAt);
  // First, before a worker process competes for the CPU.
  if (only.has('regex')) regex();
  if (only.has('cli')) cli();
  if (needsEnvironment) await onEnvironment();
  const out = table();
  console.log(out);
  mkdirSync(`${root}bench/results`, { recursive: true });
  const file = `${root}bench/results/${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt, finishedAt: new Date(), options: { runs, replicaList, restartReplicas, throughputN, failAfter, only: [...only], scaleN }, rows, extra }, null, 2)}\n`,
  );
  console.log(`\nwritten ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
