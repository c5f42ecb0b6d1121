import { ConditionType, Message, Reason } from '../../../src/api/constants.js';
import type { JobSet, JobSetStatus } from '../../../src/api/schema.js';
import { StatusDraft } from '../../../src/core/conditions.js';
import { classifyJobs, computeReplicatedJobsStatus } from '../../../src/core/observe.js';
import { resumeJobs, suspendJobs } from '../../../src/core/suspend.js';
import type { ObservedJob } from '../../../src/core/types.js';
import { NOW, cond, makeJob, makeJobSet, makeReplicatedJob, makeStatus } from './builders.js';

function setup(js: JobSet, status: JobSetStatus, jobs: ObservedJob[]) {
  const draft = new StatusDraft(status, NOW);
  const children = classifyJobs(js, draft.status, jobs);
  const statuses = computeReplicatedJobsStatus(js, draft.status, children);
  return { draft, children, statuses };
}

const suspendedCond = cond(ConditionType.Suspended, 'True', Reason.SuspendedJobs, Message.Suspended);

describe('suspendJobs (§3.6)', () => {
  const js = makeJobSet().suspend(true).replicatedJob(makeReplicatedJob('w').replicas(3)).obj();

  test('suspends unsuspended active Jobs only; sets Suspended=True and flips RestartingJobSet', () => {
    const { draft, children } = setup(
      js,
      makeStatus()
        .condition(cond(ConditionType.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, 'm'))
        .obj(),
      [makeJob('w', 2).obj(), makeJob('w', 0).obj(), makeJob('w', 1).suspended().obj(), makeJob('w', 1).name('js-w-done').completed().obj()],
    );
    expect(suspendJobs(children.active, draft)).toEqual([{ type: 'SuspendJobs', names: ['js-w-0', 'js-w-2'] }]);
    expect(draft.status.conditions).toEqual([
      cond(ConditionType.RestartingJobSet, 'False', Reason.JobSetSuspended, Message.JobSetSuspended, NOW),
      cond(ConditionType.Suspended, 'True', Reason.SuspendedJobs, 'jobset is suspended', NOW),
    ]);
    expect(draft.events.map((e) => [e.type, e.reason])).toEqual([
      ['Normal', Reason.SuspendedJobs],
      ['Normal', Reason.JobSetSuspended],
    ]);
  });

  test('nothing to suspend: no action, condition still set once', () => {
    const { draft, children } = setup(js, makeStatus().condition(suspendedCond).obj(), [makeJob('w', 0).suspended().obj()]);
    expect(suspendJobs(children.active, draft)).toEqual([]);
    expect(draft.events).toEqual([]);
  });
});

describe('resumeJobs (§3.6)', () => {
  test('AnyOrder: resumes every suspended active Job in spec order, flips Suspended=False', () => {
    const js = makeJobSet().replicatedJob(makeReplicatedJob('a')).replicatedJob(makeReplicatedJob('b').replicas(2)).obj();
    const { draft, children, statuses } = setup(js, makeStatus().condition(suspendedCond).obj(), [
      makeJob('b', 1).suspended().obj(),
      makeJob('a', 0).suspended().obj(),
      makeJob('b', 0).obj(),
    ]);
    expect(resumeJobs(js, children.active, statuses, draft)).toEqual([
      {
        type: 'ResumeJobs',
        jobs: [
          { name: 'js-a-0', replicatedJob: 'a' },
          { name: 'js-b-1', replicatedJob: 'b' },
        ],
      },
    ]);
    expect(draft.status.conditions).toEqual([cond(ConditionType.Suspended, 'False', Reason.ResumeJobs, 'jobset is resumed', NOW)]);
    expect(draft.events).toEqual([{ type: 'Normal', reason: Reason.ResumeJobs, message: Message.Resumed }]);
  });

  test('never suspended: no action and no Suspended condition added', () => {
    const js = makeJobSet().replicatedJob(makeReplicatedJob('a')).obj();
    const { draft, children, statuses } = setup(js, makeStatus().obj(), [makeJob('a', 0).obj()]);
    expect(resumeJobs(js, children.active, statuses, draft)).toEqual([]);
    expect(draft.status.conditions).toEqual([]);
  });

  test('dependsOn unsatisfied: that rjob stays suspended, later ones resume', () => {
    const js = makeJobSet()
      .replicatedJob(makeReplicatedJob('init'))
      .replicatedJob(makeReplicatedJob('main').dependsOn('init', 'Complete'))
      .replicatedJob(makeReplicatedJob('side'))
      .obj();
    const { draft, children, statuses } = setup(js, makeStatus().condition(suspendedCond).obj(), [
      makeJob('init', 0).suspended().obj(),
      makeJob('main', 0).suspended().obj(),
      makeJob('side', 0).suspended().obj(),
    ]);
    expect(resumeJobs(js, children.active, statuses, draft)).toEqual([
      {
        type: 'ResumeJobs',
        jobs: [
          { name: 'js-init-0', replicatedJob: 'init' },
          { name: 'js-side-0', replicatedJob: 'side' },
        ],
      },
    ]);
  });

  test('InOrder: resumes the first unstarted rjob only, InProgress, Suspended untouched', () => {
    const js = makeJobSet().startupPolicy('InOrder').replicatedJob(makeReplicatedJob('a')).replicatedJob(makeReplicatedJob('b')).obj();
    const { draft, children, statuses } = setup(js, makeStatus().condition(suspendedCond).obj(), [
      makeJob('a', 0).suspended().obj(),
      makeJob('b', 0).suspended().obj(),
    ]);
    expect(resumeJobs(js, children.active, statuses, draft)).toEqual([{ type: 'ResumeJobs', jobs: [{ name: 'js-a-0', replicatedJob: 'a' }] }]);
    expect(draft.status.conditions).toEqual([
      suspendedCond,
      cond(ConditionType.StartupPolicyInProgress, 'True', Reason.InOrderStartupPolicyInProgress, Message.InOrderInProgress, NOW),
    ]);
  });

  test('InOrder: started rjobs are skipped; when all started, Suspended=False', () => {
    const js = makeJobSet().startupPolicy('InOrder').replicatedJob(makeReplicatedJob('a')).replicatedJob(makeReplicatedJob('b')).obj();
    const second = setup(js, makeStatus().condition(suspendedCond).obj(), [makeJob('a', 0).readyJob().obj(), makeJob('b', 0).suspended().obj()]);
    expect(resumeJobs(js, second.children.active, second.statuses, second.draft)).toEqual([
      { type: 'ResumeJobs', jobs: [{ name: 'js-b-0', replicatedJob: 'b' }] },
    ]);
    const last = setup(js, makeStatus().condition(suspendedCond).obj(), [makeJob('a', 0).readyJob().obj(), makeJob('b', 0).readyJob().obj()]);
    expect(resumeJobs(js, last.children.active, last.statuses, last.draft)).toEqual([]);
    expect(last.draft.status.conditions.find((c) => c.type === ConditionType.Suspended)?.status).toBe('False');
  });
});
