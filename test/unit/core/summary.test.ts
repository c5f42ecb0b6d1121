// The Temporal Web UI's summary and details of a JobSet's workflow, from its start.
import { startDetails, startSummary } from '../../../src/core/summary.js';
import { makeJobSet, makeReplicatedJob } from './builders.js';

const leaderWorkers = () =>
  makeJobSet('train', 'team-a')
    .replicatedJob(makeReplicatedJob('leader'))
    .replicatedJob(makeReplicatedJob('workers').replicas(4).parallelism(2).completions(2).dependsOn('leader', 'Ready'));

test.each([
  ['one Job', makeJobSet('one', 'ns').replicatedJob(makeReplicatedJob('w')), 'ns/one: 1 Job in 1 replicatedJob'],
  ['leader and workers', leaderWorkers(), 'team-a/train: 5 Jobs in 2 replicatedJobs'],
  ['no replicated job', makeJobSet('empty', 'ns'), 'ns/empty: 0 Jobs in 0 replicatedJobs'],
])('summary: %s', (_, builder, expected) => {
  expect(startSummary(builder.obj())).toBe(expected);
});

test('details: the replicated jobs as a table, then the policies that are set', () => {
  const js = leaderWorkers()
    .failurePolicy({
      maxRestarts: 3,
      restartStrategy: 'BlockingRecreate',
      rules: [{ name: 'oom', action: 'FailJobSet', onJobFailureReasons: ['PodFailurePolicy'] }],
    })
    .successPolicy({ operator: 'Any', targetReplicatedJobs: ['leader'] })
    .startupPolicy('InOrder')
    .ttl(60)
    .obj();
  expect(startDetails(js).split('\n')).toEqual([
    '| replicatedJob | replicas | parallelism | completions | dependsOn |',
    '|---|---|---|---|---|',
    '| leader | 1 | 1 | 1 |  |',
    '| workers | 4 | 2 | 2 | leader Ready |',
    '',
    '- success policy: Any of leader',
    '- failure policy: maxRestarts 3, BlockingRecreate, rules oom (FailJobSet)',
    '- startup policy: InOrder',
    '- deleted 60 s after it finishes',
  ]);
});

test('details: without a failure policy the first failed Job fails the JobSet', () => {
  expect(startDetails(makeJobSet('one', 'ns').replicatedJob(makeReplicatedJob('w')).obj())).toContain(
    '- failure policy: none (the first failed Job fails the JobSet)',
  );
});
