import type { ReplicatedJobStatus } from '../../../src/api/schema.js';
import { dependenciesSatisfied } from '../../../src/core/depends-on.js';
import { allReplicasStarted, isInOrder } from '../../../src/core/startup-policy.js';
import { makeJobSet, makeReplicatedJob } from './builders.js';

const rs = (name: string, c: Partial<ReplicatedJobStatus> = {}): ReplicatedJobStatus => ({
  name,
  ready: 0,
  succeeded: 0,
  failed: 0,
  active: 0,
  suspended: 0,
  ...c,
});

describe('allReplicasStarted (§3.10)', () => {
  test.each<[string, number, ReplicatedJobStatus | undefined, boolean]>([
    ['no status', 2, undefined, false],
    ['active but not ready', 2, rs('w', { active: 2 }), false],
    ['all ready', 2, rs('w', { ready: 2, active: 2 }), true],
    ['ready + succeeded + failed', 3, rs('w', { ready: 1, succeeded: 1, failed: 1 }), true],
    ['failed Jobs count as started', 2, rs('w', { failed: 2 }), true],
    ['zero replicas have started', 0, rs('w'), true],
  ])('%s', (_, replicas, status, want) => {
    expect(allReplicasStarted(replicas, status)).toBe(want);
  });
});

test('isInOrder', () => {
  expect(isInOrder(makeJobSet().obj())).toBe(false);
  expect(isInOrder(makeJobSet().startupPolicy('InOrder').obj())).toBe(true);
});

describe('dependenciesSatisfied (§3.11)', () => {
  const js = makeJobSet()
    .replicatedJob(makeReplicatedJob('init').replicas(2))
    .replicatedJob(makeReplicatedJob('model'))
    .replicatedJob(makeReplicatedJob('launcher').dependsOn('init', 'Complete'))
    .replicatedJob(makeReplicatedJob('worker').dependsOn('init', 'Ready').dependsOn('model', 'Complete'))
    .obj();
  const rjob = (n: string) => js.spec.replicatedJobs.find((r) => r.name === n)!;

  test.each<[string, string, ReplicatedJobStatus[], boolean]>([
    ['no dependsOn', 'init', [], true],
    ['Complete: all succeeded', 'launcher', [rs('init', { succeeded: 2 })], true],
    ['Complete: one of two succeeded', 'launcher', [rs('init', { succeeded: 1, ready: 1 })], false],
    ['Complete: a failed Job does not complete', 'launcher', [rs('init', { succeeded: 1, failed: 1 })], false],
    ['Complete: no status entry', 'launcher', [], false],
    ['Ready + Complete both satisfied', 'worker', [rs('init', { ready: 2 }), rs('model', { succeeded: 1 })], true],
    ['Ready counts succeeded and failed', 'worker', [rs('init', { succeeded: 1, failed: 1 }), rs('model', { succeeded: 1 })], true],
    ['Ready unsatisfied (active, not ready)', 'worker', [rs('init', { ready: 1, active: 2 }), rs('model', { succeeded: 1 })], false],
    ['one of two dependencies unsatisfied', 'worker', [rs('init', { ready: 2 }), rs('model', { ready: 1 })], false],
  ])('%s', (_, name, statuses, want) => {
    expect(dependenciesSatisfied(js, rjob(name), statuses)).toBe(want);
  });

  test('a dependency missing from the spec is unsatisfied', () => {
    const bad = { ...rjob('launcher'), dependsOn: [{ name: 'ghost', status: 'Ready' as const }] };
    expect(dependenciesSatisfied(js, bad, [rs('ghost')])).toBe(false);
  });
});
