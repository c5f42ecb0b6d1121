// Issue 12 item 4: what crosses the workflow boundary stays small for large JobSets, and the
// compact forms carry every fact the decision reads: decide() and the observation digest give the
// same answers on the expanded observation as on the original, for any mix of Jobs.
import fc from 'fast-check';

import { Label } from '../../../src/api/constants.js';
import { decide, observationDigest } from '../../../src/core/decide.js';
import type { Observation, ObservedJob } from '../../../src/core/types.js';
import {
  compactObservation,
  decodeJobNames,
  decodeJobRefs,
  encodeJobNames,
  encodeJobRefs,
  expandObservation,
  fromRanges,
  toRanges,
} from '../../../src/core/wire.js';
import { makeJob, makeJobSet, makeReplicatedJob, makeStatus, NOW } from './builders.js';

const js = makeJobSet('js', 'ns')
  .replicatedJob(makeReplicatedJob('leader').replicas(1))
  .replicatedJob(makeReplicatedJob('workers').replicas(6).parallelism(2).completions(2))
  .obj();

/** Any Job this JobSet might see: canonical or not, any state, labels well-formed or not. */
const arbJob: fc.Arbitrary<ObservedJob> = fc
  .record({
    rjob: fc.constantFrom('leader', 'workers', 'gone'),
    index: fc.integer({ min: 0, max: 7 }),
    attempt: fc.integer({ min: 0, max: 2 }),
    jobAttempt: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
    state: fc.constantFrom('active', 'ready', 'suspended', 'completed', 'failed', 'deleting'),
    odd: fc.constantFrom('none', 'renamed', 'bad-attempt', 'bad-index', 'no-index', 'extra-label'),
  })
  .map(({ rjob, index, attempt, jobAttempt, state, odd }) => {
    const b = makeJob(rjob, index)
      .restartAttempt(attempt)
      .jobRestartAttempt(jobAttempt)
      .parallelism(rjob === 'workers' ? 2 : 1);
    if (state === 'ready') b.readyJob();
    if (state === 'active') b.pods({ active: 1 });
    if (state === 'suspended') b.suspended();
    if (state === 'completed') b.completed();
    if (state === 'failed') b.failed(NOW, 'BackoffLimitExceeded', `pod of ${rjob}-${index} failed`);
    if (state === 'deleting') b.deleting();
    if (odd === 'renamed') b.name(`someone-${rjob}-${index}`);
    if (odd === 'bad-attempt') b.label(Label.RestartAttempt, 'x1');
    if (odd === 'bad-index') b.label(Label.JobIndex, '01');
    if (odd === 'no-index') b.label(Label.JobIndex, undefined);
    if (odd === 'extra-label') b.label('team', 'a');
    return b.obj();
  });

/** Jobs with distinct names (a namespace holds one object per name). */
const arbObservation: fc.Arbitrary<Observation> = fc
  .record({
    jobs: fc.uniqueArray(arbJob, { selector: (j) => j.name, maxLength: 20 }),
    serviceExists: fc.boolean(),
    pvcsExist: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ jobs, serviceExists, pvcsExist }) => ({ jobs, serviceExists, ...(pvcsExist !== undefined ? { pvcsExist } : {}) }));

/** decide() without the order in which Jobs were listed (the compact form groups them by rjob). */
const decided = (obs: Observation) => {
  const d = decide(js, makeStatus().restarts(1).obj(), obs, NOW);
  const sortNames = <T>(xs: T[]) => JSON.stringify(xs, (_, v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v].sort() : v));
  return { ...d, actions: sortNames(d.actions), malformedJobs: [...d.malformedJobs].sort(), events: d.events.map((e) => JSON.stringify(e)).sort() };
};

describe('issue 12 item 4: compact observations', () => {
  test('the decision and the digest are the same on the expanded observation (property)', () => {
    fc.assert(
      fc.property(arbObservation, (obs) => {
        const wire = JSON.parse(JSON.stringify(compactObservation(js, obs)));
        const back = expandObservation(js, wire);
        expect(observationDigest(back)).toBe(observationDigest(obs));
        expect(decided(back)).toEqual(decided(obs));
      }),
      { numRuns: 300 },
    );
  });

  test('a Job that is not what this JobSet writes travels as observed', () => {
    const renamed = makeJob('workers', 1).name('someone-else').obj();
    const c = compactObservation(js, { jobs: [renamed, makeJob('workers', 2).obj()], serviceExists: true });
    expect(c.others).toEqual([renamed]);
    expect(Object.keys(c.runs)).toEqual(['workers']);
  });

  /** `n` Jobs of one rjob as the cluster lists them (every label upstream writes), states from `state(i)`. */
  const bigObservation = (n: number, attempt: number, state: (i: number) => 'ready' | 'completed' | 'failed' | 'deleting') =>
    Array.from({ length: n }, (_, i) => {
      const b = makeJob('workers', i, 'train').restartAttempt(attempt).parallelism(1).completions(1);
      for (const [k, v] of Object.entries({
        [Label.JobKey]: 'f'.repeat(40),
        [Label.GlobalReplicas]: '5000',
        [Label.JobGlobalIndex]: String(i),
        'batch.kubernetes.io/controller-uid': 'u'.repeat(36),
      }))
        b.label(k, v);
      const s = state(i);
      if (s === 'ready') b.readyJob();
      if (s === 'completed') b.completed();
      if (s === 'failed') b.failed(NOW, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      if (s === 'deleting') b.deleting().completed();
      return b.obj();
    });
  const big = makeJobSet('train', 'ns').replicatedJob(makeReplicatedJob('workers').replicas(5000)).obj();
  const size = (jobs: ObservedJob[]) => JSON.stringify(compactObservation(big, { jobs, serviceExists: true })).length;

  test('5,000 Jobs in a restart (old attempt being deleted, new one with Jobs in every state) stay under 256 KiB; the full form is megabytes', () => {
    const states = ['ready', 'completed', 'ready', 'ready', 'completed'] as const;
    const old = bigObservation(5000, 0, () => 'deleting');
    const current = bigObservation(5000, 1, (i) => (i === 0 ? 'failed' : states[(i * 7) % states.length]!));
    // Old and new attempt share names only in a real cluster across time; here they are two
    // observations of the same size, summed, which is what a restart's worst pass holds.
    expect(size(old) + size(current)).toBeLessThan(256 * 1024);
    expect(JSON.stringify({ jobs: current, serviceExists: true }).length).toBeGreaterThan(1024 * 1024);
  });

  test('5,000 Jobs in the same state are one row', () => {
    const c = compactObservation(big, { jobs: bigObservation(5000, 0, () => 'completed'), serviceExists: true });
    expect(c.runs.workers).toEqual([[0, 5000, 0, 0, 4, 0, 0, 1, 1, 1]]);
  });
});

describe('issue 12 item 4: Job lists as ranges', () => {
  test.each([
    [[], []],
    [[3], [[3, 3]]],
    [
      [5, 1, 2, 3, 9, 2],
      [
        [1, 3],
        [5, 5],
        [9, 9],
      ],
    ],
  ])('%j -> %j', (values, ranges) => {
    expect(toRanges(values)).toEqual(ranges);
    expect(fromRanges(toRanges(values))).toEqual([...new Set(values)].sort((a, b) => a - b));
  });

  test('5,000 Job refs are a few bytes', () => {
    const refs = Array.from({ length: 5000 }, (_, i) => ({ replicatedJob: 'workers', jobIndex: i }));
    expect(JSON.stringify(encodeJobRefs(refs))).toBe('{"workers":[[0,4999]]}');
    expect(decodeJobRefs(encodeJobRefs(refs))).toEqual(refs);
  });

  test('names round trip: canonical ones as ranges (with their rjob), the others as they are', () => {
    const jobs = [
      { name: 'js-workers-2' },
      { name: 'js-workers-3' },
      { name: 'js-leader-0', replicatedJob: 'leader' },
      { name: 'js-workers-x' },
      { name: 'other-1', replicatedJob: 'workers' },
    ];
    const encoded = encodeJobNames(js, jobs);
    expect(encoded).toEqual({
      ranges: { workers: [[2, 3]], leader: [[0, 0]] },
      others: [{ name: 'js-workers-x' }, { name: 'other-1', replicatedJob: 'workers' }],
    });
    expect(
      decodeJobNames('js', encoded)
        .map((j) => j.name)
        .sort(),
    ).toEqual(jobs.map((j) => j.name).sort());
  });
});
