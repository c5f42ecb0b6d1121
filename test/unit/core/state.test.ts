import { describeStatus, jobSetState } from '../../../src/core/state.js';
import { cond, makeJobSet, makeReplicatedJob, makeStatus } from './builders.js';

describe('jobSetState', () => {
  const running = makeJobSet().replicatedJob(makeReplicatedJob('w')).obj();
  const suspended = makeJobSet().replicatedJob(makeReplicatedJob('w')).suspend(true).obj();
  test.each([
    { title: 'no conditions', js: running, status: makeStatus().obj(), state: 'Running' },
    {
      title: 'restarting',
      js: running,
      status: makeStatus()
        .condition(cond('RestartingJobSet', 'True', 'DefaultFailurePolicy', 'm'))
        .obj(),
      state: 'Restarting',
    },
    {
      title: 'restart finished',
      js: running,
      status: makeStatus()
        .condition(cond('RestartingJobSet', 'False', 'JobsReady', 'm'))
        .obj(),
      state: 'Running',
    },
    { title: 'suspended spec', js: suspended, status: makeStatus().obj(), state: 'Suspended' },
    { title: 'completed wins over suspend', js: suspended, status: makeStatus().terminalState('Completed').obj(), state: 'Completed' },
    {
      title: 'failed condition without terminalState',
      js: running,
      status: makeStatus()
        .condition(cond('Failed', 'True', 'FailedJobs', 'm'))
        .obj(),
      state: 'Failed',
    },
  ])('$title -> $state', ({ js, status, state }) => {
    expect(jobSetState(js, status)).toBe(state);
  });
});

describe('describeStatus', () => {
  test('shows the state, restarts, managedBy, per-rjob counts and the newest condition', () => {
    const js = makeJobSet().replicatedJob(makeReplicatedJob('w').replicas(2)).obj();
    js.spec.managedBy = 'jobset-temporal.io/bridge';
    const status = makeStatus()
      .restarts(2, 1)
      .rjob('w', { active: 2, ready: 1 })
      .condition(cond('Suspended', 'False', 'ResumeJobs', 'jobset is resumed', '2024-05-01T10:00:00Z'))
      .condition(cond('RestartingJobSet', 'False', 'JobsReady', 'all jobs are ready', '2024-05-01T11:30:00Z'))
      .obj();
    expect(describeStatus(js, status).split('\n')).toEqual([
      '**Running** · restarts 2 (1 counted)',
      'managed by jobset-temporal.io/bridge',
      '',
      '| replicatedJob | replicas | active | ready | succeeded | failed | suspended |',
      '|---|---|---|---|---|---|---|',
      '| w | 2 | 2 | 1 | 0 | 0 | 0 |',
      '',
      'RestartingJobSet=False (JobsReady): all jobs are ready',
    ]);
  });
});
