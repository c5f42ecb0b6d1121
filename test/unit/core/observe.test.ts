import { Label } from '../../../src/api/constants.js';
import { classifyJobs, computeReplicatedJobsStatus, finishedType, isJobReady, type ChildJobs } from '../../../src/core/observe.js';
import type { ObservedJob } from '../../../src/core/types.js';
import { makeJob, makeJobSet, makeReplicatedJob, makeStatus } from './builders.js';

const js = makeJobSet().replicatedJob(makeReplicatedJob('leader')).replicatedJob(makeReplicatedJob('workers').replicas(3)).obj();

const names = (c: ChildJobs) => ({
  active: c.active.map((x) => x.job.name),
  successful: c.successful.map((x) => x.job.name),
  failed: c.failed.map((x) => x.job.name),
  previous: c.previous.map((x) => x.job.name),
  ignored: c.ignored.map((x) => x.job.name),
});
type Buckets = Record<'active' | 'successful' | 'failed' | 'previous' | 'ignored', string[]>;
const none: Buckets = { active: [], successful: [], failed: [], previous: [], ignored: [] };

describe('classifyJobs (§3.2)', () => {
  const status = makeStatus()
    .restarts(1)
    .rjob('workers', { jobRestarts: [0, 2, 0] })
    .obj();
  test.each<[string, ObservedJob, Partial<Buckets>]>([
    ['running current attempt => active', makeJob('workers', 0).restartAttempt(1).obj(), { active: ['js-workers-0'] }],
    ['Complete=True => successful', makeJob('workers', 0).restartAttempt(1).completed().obj(), { successful: ['js-workers-0'] }],
    ['Failed=True => failed', makeJob('workers', 0).restartAttempt(1).failed().obj(), { failed: ['js-workers-0'] }],
    [
      'FailureTarget alone is not failed (#979)',
      makeJob('workers', 0).restartAttempt(1).condition({ type: 'FailureTarget', status: 'True' }).obj(),
      { active: ['js-workers-0'] },
    ],
    ['Failed=False is not failed', makeJob('workers', 0).restartAttempt(1).condition({ type: 'Failed', status: 'False' }).obj(), { active: ['js-workers-0'] }],
    ['restart-attempt below status.restarts => previous', makeJob('workers', 0).restartAttempt(0).failed().obj(), { previous: ['js-workers-0'] }],
    ['restart-attempt above status.restarts => current', makeJob('workers', 0).restartAttempt(2).obj(), { active: ['js-workers-0'] }],
    [
      'job-restart-attempt below jobRestarts[idx] => previous',
      makeJob('workers', 1).restartAttempt(1).jobRestartAttempt(1).failed().obj(),
      { previous: ['js-workers-1'] },
    ],
    [
      'job-restart-attempt equal to jobRestarts[idx] => current',
      makeJob('workers', 1).restartAttempt(1).jobRestartAttempt(2).obj(),
      { active: ['js-workers-1'] },
    ],
    [
      'missing job-restart-attempt is tolerated (upgrade)',
      makeJob('workers', 1).restartAttempt(1).jobRestartAttempt(undefined).obj(),
      { active: ['js-workers-1'] },
    ],
    ['previous attempt of an unknown rjob is still previous (so it gets deleted)', makeJob('gone', 0).restartAttempt(0).obj(), { previous: ['js-gone-0'] }],
    ['current attempt of an unknown rjob is ignored', makeJob('gone', 0).restartAttempt(1).obj(), { ignored: ['js-gone-0'] }],
    [
      'current attempt without replicatedjob-name is ignored',
      makeJob('workers', 0).restartAttempt(1).label(Label.ReplicatedJobName, undefined).obj(),
      { ignored: ['js-workers-0'] },
    ],
    ['deleting current-attempt Job keeps its bucket (still exists)', makeJob('workers', 0).restartAttempt(1).deleting().obj(), { active: ['js-workers-0'] }],
  ])('%s', (_, job, want) => {
    expect(names(classifyJobs(js, status, [job]))).toEqual({ ...none, ...want });
  });

  test('first finished condition wins, as upstream JobFinished', () => {
    const job = makeJob('workers', 0).condition({ type: 'Failed', status: 'True' }).condition({ type: 'Complete', status: 'True' }).obj();
    expect(finishedType(job)).toBe('Failed');
  });
});

describe('issue 12 item 3 (malformed child Jobs): classifyJobs ignores a Job whose JobSet labels are malformed', () => {
  // One malformed label must neither abort the reconcile nor size anything by its value: the Job
  // lands in `malformed` (only its name still counts, as every observed Job's does) with the
  // first problem found, worded as a Kubernetes field error.
  const status = makeStatus().restarts(1).obj();
  const at = (label: string) => `metadata.labels[${label}]`;
  const notInteger = (label: string, value: string) => `${at(label)}: Invalid value: ${JSON.stringify(value)}: must be an integer`;
  const outOfRange = (value: string) =>
    `${at(Label.JobIndex)}: Invalid value: ${JSON.stringify(value)}: must be between 0 and 2, inclusive (replicatedJob "workers" has 3 replicas)`;
  test.each<[string, ObservedJob, string]>([
    ['restart-attempt missing', makeJob('workers', 0).label(Label.RestartAttempt, undefined).obj(), `${at(Label.RestartAttempt)}: Required value`],
    ['restart-attempt not a number', makeJob('workers', 0).restartAttempt('one').obj(), notInteger(Label.RestartAttempt, 'one')],
    ['restart-attempt with a fraction', makeJob('workers', 0).restartAttempt('1.5').obj(), notInteger(Label.RestartAttempt, '1.5')],
    ['restart-attempt past 2^53', makeJob('workers', 0).restartAttempt('99999999999999999999').obj(), notInteger(Label.RestartAttempt, '99999999999999999999')],
    [
      'job-restart-attempt not a number',
      makeJob('workers', 0).restartAttempt(1).label(Label.JobRestartAttempt, 'x').obj(),
      notInteger(Label.JobRestartAttempt, 'x'),
    ],
    ['job-index not a number', makeJob('workers', 0).restartAttempt(1).label(Label.JobIndex, 'x').obj(), notInteger(Label.JobIndex, 'x')],
    [
      'job-index not a number, without job-restart-attempt',
      makeJob('workers', 0).restartAttempt(1).jobRestartAttempt(undefined).label(Label.JobIndex, 'x').obj(),
      notInteger(Label.JobIndex, 'x'),
    ],
    ['job-index missing', makeJob('workers', 0).restartAttempt(1).label(Label.JobIndex, undefined).obj(), `${at(Label.JobIndex)}: Required value`],
    ['job-index = replicas', makeJob('workers', 0).restartAttempt(1).label(Label.JobIndex, '3').obj(), outOfRange('3')],
    ['job-index negative', makeJob('workers', 0).restartAttempt(1).label(Label.JobIndex, '-1').obj(), outOfRange('-1')],
    ['job-index 999999999', makeJob('workers', 0).restartAttempt(1).label(Label.JobIndex, '999999999').obj(), outOfRange('999999999')],
    ['job-index 999999999 on a failed Job', makeJob('workers', 0).restartAttempt(1).label(Label.JobIndex, '999999999').failed().obj(), outOfRange('999999999')],
    [
      'a previous attempt is not deleted when its index is out of range',
      makeJob('workers', 0).restartAttempt(0).label(Label.JobIndex, '999999999').obj(),
      outOfRange('999999999'),
    ],
  ])('%s', (_, job, problem) => {
    const c = classifyJobs(js, status, [job]);
    expect(names(c)).toEqual(none);
    expect(c.malformed).toEqual([{ job, problem }]);
  });

  test.each<[string, ObservedJob, Partial<Buckets>]>([
    [
      'an unknown rjob has no replicas to check the index against',
      makeJob('gone', 0).restartAttempt(1).label(Label.JobIndex, '999999999').obj(),
      { ignored: ['js-gone-0'] },
    ],
    ['Go Atoi syntax: a leading +', makeJob('workers', 2).restartAttempt('+1').label(Label.JobIndex, '+2').obj(), { active: ['js-workers-2'] }],
    ['the last index', makeJob('workers', 2).restartAttempt(1).obj(), { active: ['js-workers-2'] }],
  ])('not malformed: %s', (_, job, want) => {
    const c = classifyJobs(js, status, [job]);
    expect(names(c)).toEqual({ ...none, ...want });
    expect(c.malformed).toEqual([]);
  });
});

describe('isJobReady (§3.4)', () => {
  test.each([
    ['no pods ready', makeJob('w', 0).parallelism(2).completions(2).pods({ ready: 0 }).obj(), false],
    ['some ready', makeJob('w', 0).parallelism(2).completions(2).pods({ ready: 1 }).obj(), false],
    ['all ready', makeJob('w', 0).parallelism(2).completions(2).pods({ ready: 2 }).obj(), true],
    ['ready + succeeded', makeJob('w', 0).parallelism(2).completions(2).pods({ ready: 1, succeeded: 1 }).obj(), true],
    ['completions below parallelism bound it', makeJob('w', 0).parallelism(4).completions(1).pods({ ready: 1 }).obj(), true],
    ['parallelism absent defaults to 1', makeJob('w', 0).parallelism(undefined).completions(undefined).pods({ ready: 1 }).obj(), true],
    ['completions absent: parallelism bounds', makeJob('w', 0).parallelism(3).completions(undefined).pods({ ready: 2 }).obj(), false],
  ])('%s', (_, job, want) => {
    expect(isJobReady(job)).toBe(want);
  });
});

describe('computeReplicatedJobsStatus (§1.3)', () => {
  test('counts current-attempt Jobs per rjob in spec order and carries jobRestarts', () => {
    const status = makeStatus()
      .restarts(1)
      .rjob('workers', { jobRestarts: [0, 1, 0], jobRestartsCountTowardsMax: [0, 1, 0] })
      .obj();
    const jobs = [
      makeJob('leader', 0).restartAttempt(1).readyJob().obj(),
      makeJob('workers', 0).restartAttempt(1).completed().obj(),
      makeJob('workers', 1).restartAttempt(1).jobRestartAttempt(1).failed().obj(),
      makeJob('workers', 2).restartAttempt(1).suspended().obj(),
      // Older attempts are invisible.
      makeJob('workers', 2).restartAttempt(0).completed().obj(),
      makeJob('workers', 1).restartAttempt(1).jobRestartAttempt(0).readyJob().obj(),
      // Unknown rjob is invisible.
      makeJob('gone', 0).restartAttempt(1).readyJob().obj(),
    ];
    const got = computeReplicatedJobsStatus(js, status, classifyJobs(js, status, jobs));
    expect(got).toEqual([
      { name: 'leader', ready: 1, succeeded: 0, failed: 0, active: 1, suspended: 0 },
      {
        name: 'workers',
        ready: 0,
        succeeded: 1,
        failed: 1,
        active: 0,
        suspended: 1,
        jobRestarts: [0, 1, 0],
        jobRestartsCountTowardsMax: [0, 1, 0],
      },
    ]);
  });

  test('a finished Job is neither ready nor active, whatever its pod counts', () => {
    const job = makeJob('leader', 0).completed().pods({ active: 1, ready: 1 }).obj();
    const got = computeReplicatedJobsStatus(js, makeStatus().obj(), classifyJobs(js, makeStatus().obj(), [job]));
    expect(got[0]).toEqual({ name: 'leader', ready: 0, succeeded: 1, failed: 0, active: 0, suspended: 0 });
  });

  test('a suspended Job with pods still terminating is both active and suspended', () => {
    const job = makeJob('leader', 0).suspended().pods({ active: 1 }).obj();
    const got = computeReplicatedJobsStatus(js, makeStatus().obj(), classifyJobs(js, makeStatus().obj(), [job]));
    expect(got[0]).toMatchObject({ active: 1, suspended: 1 });
  });

  test('no Jobs: zeros for every rjob', () => {
    const got = computeReplicatedJobsStatus(js, makeStatus().obj(), classifyJobs(js, makeStatus().obj(), []));
    expect(got).toEqual([
      { name: 'leader', ready: 0, succeeded: 0, failed: 0, active: 0, suspended: 0 },
      { name: 'workers', ready: 0, succeeded: 0, failed: 0, active: 0, suspended: 0 },
    ]);
  });

  test('does not alias the input arrays', () => {
    const status = makeStatus()
      .rjob('workers', { jobRestarts: [0, 0, 0] })
      .obj();
    const got = computeReplicatedJobsStatus(js, status, classifyJobs(js, status, []));
    got[1]!.jobRestarts![0] = 9;
    expect(status.replicatedJobsStatus[0]!.jobRestarts).toEqual([0, 0, 0]);
  });
});
