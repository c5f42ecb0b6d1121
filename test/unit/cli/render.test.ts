// Durations on the command line, kubectl's AGE, and the get/list output formats.
import { parse } from 'yaml';

import { parseJobSet } from '../../../src/api/load.js';
import type { JobSetStatus } from '../../../src/api/schema.js';
import { UsageError } from '../../../src/cli/args.js';
import { humanDuration, parseDuration } from '../../../src/cli/duration.js';
import { progressLines, renderInfos } from '../../../src/cli/render.js';
import { prepareJobSet, type JobSetInfo } from '../../../src/client/index.js';

test.each([
  ['30s', 30_000],
  ['5m', 300_000],
  ['1h30m', 5_400_000],
  ['500ms', 500],
  ['2', 2000],
  ['1.5s', 1500],
])('parseDuration(%j) = %d ms', (text, ms) => {
  expect(parseDuration(text, '--timeout')).toBe(ms);
});

test.each(['', 'soon', '5x', '5m soon', '-1s'])('parseDuration(%j) is a usage error', (text) => {
  expect(() => parseDuration(text, '--timeout')).toThrow(UsageError);
});

test.each([
  [45_000, '45s'],
  [119_000, '119s'],
  [192_000, '3m12s'],
  [600_000, '10m'],
  [25 * 60_000, '25m'],
  [(4 * 60 + 5) * 60_000, '4h5m'],
  [30 * 3_600_000, '30h'],
  [(2 * 24 + 3) * 3_600_000, '2d3h'],
  [40 * 86_400_000, '40d'],
])('humanDuration(%d) = %s', (ms, text) => {
  expect(humanDuration(ms)).toBe(text);
});

const status: JobSetStatus = {
  conditions: [
    { type: 'Completed', status: 'True', reason: 'AllJobsCompleted', message: 'jobset completed successfully', lastTransitionTime: '2026-01-01T00:00:05Z' },
  ],
  restarts: 1,
  restartsCountTowardsMax: 1,
  terminalState: 'Completed',
  replicatedJobsStatus: [{ name: 'w', ready: 0, succeeded: 2, failed: 0, active: 0, suspended: 0 }],
};
const jobSet = parseJobSet({
  metadata: { name: 'train', namespace: 'ml', uid: 'u-1' },
  spec: { replicatedJobs: [{ name: 'w', replicas: 2, template: { spec: { template: { spec: { containers: [{ name: 'm', image: 'busybox' }] } } } } }] },
});
const info: JobSetInfo = {
  jobSet,
  status,
  state: 'Completed',
  workflowId: 'jobset/ml/train',
  runId: 'r-1',
  closed: true,
  executionStatus: 'COMPLETED',
  createdAt: new Date('2026-01-01T00:00:00Z'),
};
const now = new Date('2026-01-01T00:03:12Z');

test('table and wide have the kubectl columns; -A adds NAMESPACE', () => {
  expect(renderInfos([info], 'table', { now })).toBe(
    'NAME    STATE       RESTARTS   COMPLETED   SUSPENDED   AGE\ntrain   Completed   1          True        false       3m12s\n',
  );
  expect(renderInfos([info], 'table', { now, allNamespaces: true }).split('\n')[1]).toMatch(/^ml\s+train\s+Completed/);
  const wide = renderInfos([info], 'wide', { now }).split('\n');
  expect(wide[0]?.split(/\s{2,}/)).toEqual([
    'NAME',
    'STATE',
    'RESTARTS',
    'COMPLETED',
    'SUSPENDED',
    'AGE',
    'TERMINALSTATE',
    'JOBS',
    'READY',
    'SUCCEEDED',
    'FAILED',
    'WORKFLOW',
  ]);
  expect(wide[1]?.split(/\s+/)).toEqual(['train', 'Completed', '1', 'True', 'false', '3m12s', 'Completed', '2', '0', '2', '0', 'jobset/ml/train']);
});

test('json and yaml print the JobSet object with its status; a List unless single', () => {
  const single = JSON.parse(renderInfos([info], 'json', { single: true }));
  expect(single).toMatchObject({ apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', metadata: { name: 'train' }, status });
  const list = parse(renderInfos([info, info], 'yaml'));
  expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
  expect(list.items).toHaveLength(2);
  expect(renderInfos([info], 'name')).toBe('jobset.jobset.x-k8s.io/train\n');
});

test('progress lines: state and counts, then each condition that changed', () => {
  const lines = progressLines(jobSet, status, undefined, new Date('2026-01-01T10:58:13Z'));
  expect(lines).toEqual([
    '10:58:13  ml/train  Completed   restarts 1  w 0/2 ready, 2 succeeded',
    '          Completed=True (AllJobsCompleted): jobset completed successfully',
  ]);
  expect(progressLines(jobSet, status, status, new Date('2026-01-01T10:58:13Z'))).toHaveLength(1);
});

test('prepareJobSet sets namespace, a generated name, uid and creationTimestamp, and refuses a namespace mismatch', () => {
  const spec = { replicatedJobs: [{ name: 'w', template: { spec: { template: { spec: { containers: [{ name: 'm', image: 'busybox' }] } } } } }] };
  const js = prepareJobSet({ metadata: { generateName: 'run-' }, spec }, { defaultNamespace: 'team' });
  expect(js.metadata.name).toMatch(/^run-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  expect(js.metadata.namespace).toBe('team');
  expect(js.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
  expect(js.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(prepareJobSet({ metadata: { name: 'a', uid: 'keep' }, spec }).metadata).toMatchObject({ namespace: 'default', uid: 'keep' });
  expect(() => prepareJobSet({ metadata: { name: 'a', namespace: 'x' }, spec }, { namespace: 'y' })).toThrow(/metadata.namespace/);
});
