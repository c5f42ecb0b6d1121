// Every file in examples/ loads and validates, and carries the machine-readable expectation the
// integration tests run it against: `# expect: terminalState=<..> [reason=<..>] [restarts=<N>]`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadJobSets } from '../../../src/api/load.js';
import type { JobSet } from '../../../src/api/schema.js';

const root = fileURLToPath(new URL('../../../examples/', import.meta.url));
const expectLine = /^# expect: terminalState=(Completed|Failed)(?: reason=([A-Za-z]+))?(?: restarts=(\d+))?$/;

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const examples = files(root).map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }));

const annotations = (js: JobSet) => js.spec.replicatedJobs.map((rj) => rj.template.spec.template.metadata?.annotations ?? {});
/** Some pod of the example fails on the fake cluster (in every attempt, or in the listed ones). */
const fails = (js: JobSet) =>
  annotations(js).some((a) => a['kwok-sim/fail'] === 'true' || a['kwok-sim/fail-indexes'] !== undefined || a['kwok-sim/fail-job-indexes'] !== undefined);
/** Failures limited to some restart attempts: the JobSet can recover. */
const failsOnlyEarly = (js: JobSet) => annotations(js).some((a) => a['kwok-sim/fail-restart-attempts'] !== undefined);

it('covers the upstream-style cases we support', () => {
  const names = examples.map((e) => e.file);
  for (const want of [
    'simple/paralleljobs.yaml',
    'simple/pytorch.yaml',
    'simple/success-policy.yaml',
    'simple/coordinator.yaml',
    'simple/exclusive-placement.yaml',
    'simple/ttl-after-finished.yaml',
    'simple/suspend.yaml',
    'simple/group.yaml',
    'simple/network.yaml',
    'startup-policy/in-order.yaml',
    'depends-on/depends-on.yaml',
    'depends-on/multiple-depends-on.yaml',
    'failure-policy/failjobset-action.yaml',
    'failure-policy/restartjobset-action.yaml',
    'failure-policy/restartjobsetandignoremaxrestarts-action.yaml',
    'failure-policy/onjobfailurereasons-podfailurepolicy.yaml',
  ]) {
    expect(names).toContain(want);
  }
});

it('gives every example its own JobSet name, so they can run side by side in one namespace', () => {
  const names = examples.flatMap(({ text }) => loadJobSets(text).map((js) => js.metadata.name));
  expect(new Set(names).size).toBe(names.length);
});

describe.each(examples)('$file', ({ text }) => {
  it('loads and validates', () => {
    expect(loadJobSets(text)).toHaveLength(1);
  });

  it('states its expected end state in the header, consistent with the spec', () => {
    const lines = text.split('\n').filter((l) => l.startsWith('# expect:'));
    expect(lines).toHaveLength(1);
    const m = expectLine.exec(lines[0] as string);
    expect(m).not.toBeNull();
    const [, state, reason, restarts] = m as RegExpExecArray;
    const js = loadJobSets(text)[0] as JobSet;
    const maxRestarts = js.spec.failurePolicy?.maxRestarts ?? 0;
    if (state === 'Completed') {
      expect(reason ?? 'AllJobsCompleted').toBe('AllJobsCompleted');
      // A completed run restarted only if some pod failed, and only in early attempts.
      expect(fails(js) && failsOnlyEarly(js)).toBe(Number(restarts ?? 0) > 0);
    } else {
      // A run can only fail through a pod the fake cluster makes fail.
      expect(fails(js)).toBe(true);
      expect(['FailedJobs', 'FailJobSetFailurePolicyAction', 'ReachedMaxRestarts']).toContain(reason);
      if (reason === 'FailedJobs') expect(js.spec.failurePolicy).toBeUndefined();
      if (reason === 'ReachedMaxRestarts') expect(Number(restarts)).toBeLessThanOrEqual(maxRestarts);
    }
  });

  it('stays small and runs on the fake cluster (placeholder image, KWOK run duration)', () => {
    const js = loadJobSets(text)[0] as JobSet;
    for (const rj of js.spec.replicatedJobs) {
      expect(rj.replicas).toBeLessThanOrEqual(4);
      expect(rj.template.spec.parallelism ?? 1).toBeLessThanOrEqual(4);
      expect(rj.template.spec.template.metadata?.annotations?.['kwok-sim/run-duration']).toMatch(/^\d+(ms|s|m)$/);
      for (const c of rj.template.spec.template.spec?.containers ?? []) expect(c.image).toMatch(/^busybox/);
    }
  });
});
