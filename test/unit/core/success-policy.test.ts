import { ConditionType, Message, Reason } from '../../../src/api/constants.js';
import type { JobSet } from '../../../src/api/schema.js';
import { StatusDraft } from '../../../src/core/conditions.js';
import { classifyJobs } from '../../../src/core/observe.js';
import { executeSuccessPolicy, successPolicySatisfied } from '../../../src/core/success-policy.js';
import type { ObservedJob } from '../../../src/core/types.js';
import { NOW, cond, makeJob, makeJobSet, makeReplicatedJob, makeStatus } from './builders.js';

type SP = Parameters<ReturnType<typeof makeJobSet>['successPolicy']>[0];
const jobSet = (sp?: SP): JobSet => {
  const b = makeJobSet().replicatedJob(makeReplicatedJob('leader')).replicatedJob(makeReplicatedJob('workers').replicas(2));
  if (sp) b.successPolicy(sp);
  return b.obj();
};
const done = (rjob: string, i: number) => makeJob(rjob, i).completed().obj();
const successful = (js: JobSet, jobs: ObservedJob[]) => classifyJobs(js, makeStatus().obj(), jobs).successful;

describe('successPolicySatisfied (§3.9)', () => {
  test.each<[string, SP | undefined, ObservedJob[], boolean]>([
    ['All (default), all 3 done', undefined, [done('leader', 0), done('workers', 0), done('workers', 1)], true],
    ['All (default), 2 of 3 done', undefined, [done('workers', 0), done('workers', 1)], false],
    ['All targeting workers, workers done', { operator: 'All', targetReplicatedJobs: ['workers'] }, [done('workers', 0), done('workers', 1)], true],
    ['All targeting workers, leader done only', { operator: 'All', targetReplicatedJobs: ['workers'] }, [done('leader', 0), done('workers', 0)], false],
    ['Any, one done', { operator: 'Any' }, [done('workers', 1)], true],
    ['Any targeting leader, a worker done', { operator: 'Any', targetReplicatedJobs: ['leader'] }, [done('workers', 1)], false],
    ['Any targeting leader, leader done', { operator: 'Any', targetReplicatedJobs: ['leader'] }, [done('leader', 0)], true],
    ['Any, nothing done', { operator: 'Any' }, [], false],
    ['All with an empty target list means all', { operator: 'All', targetReplicatedJobs: [] }, [done('workers', 0), done('workers', 1)], false],
  ])('%s => %s', (_, sp, jobs, want) => {
    const js = jobSet(sp);
    expect(successPolicySatisfied(js, successful(js, jobs))).toBe(want);
  });

  test.each([
    ['all three in the current attempt', 1, true],
    ['workers-1 from the previous attempt', 0, false],
  ])('attempts: %s => %s', (_, workerOneAttempt, want) => {
    const js = jobSet();
    const status = makeStatus().restarts(1).obj();
    const jobs = [
      makeJob('leader', 0).restartAttempt(1).completed().obj(),
      makeJob('workers', 0).restartAttempt(1).completed().obj(),
      makeJob('workers', 1).restartAttempt(workerOneAttempt).completed().obj(),
    ];
    expect(successPolicySatisfied(js, classifyJobs(js, status, jobs).successful)).toBe(want);
  });
});

describe('executeSuccessPolicy', () => {
  test('satisfied: Completed/AllJobsCompleted, terminalState, RestartingJobSet=False/JobSetCompleted', () => {
    const js = jobSet({ operator: 'Any' });
    const draft = new StatusDraft(
      makeStatus()
        .condition(cond(ConditionType.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, 'm'))
        .obj(),
      NOW,
    );
    expect(executeSuccessPolicy(js, successful(js, [done('leader', 0)]), draft)).toBe(true);
    expect(draft.status.terminalState).toBe('Completed');
    expect(draft.status.conditions).toEqual([
      cond(ConditionType.RestartingJobSet, 'False', Reason.JobSetCompleted, Message.JobSetCompleted, NOW),
      cond(ConditionType.Completed, 'True', Reason.AllJobsCompleted, 'jobset completed successfully', NOW),
    ]);
    expect(draft.events.map((e) => [e.type, e.reason])).toEqual([
      ['Normal', Reason.AllJobsCompleted],
      ['Normal', Reason.JobSetCompleted],
    ]);
  });
  test('not satisfied: nothing changes', () => {
    const js = jobSet();
    const draft = new StatusDraft(makeStatus().obj(), NOW);
    expect(executeSuccessPolicy(js, successful(js, [done('leader', 0)]), draft)).toBe(false);
    expect(draft.status).toEqual(makeStatus().obj());
    expect(draft.events).toEqual([]);
  });
});
