// Hostile and invalid JobSets at every entry point: the SDK's submit, the CLI's submit and the
// bridge's admission. Each is refused with a clear error naming the field, nothing reaches
// Temporal or the cluster, and nothing crashes. The Temporal client here is a recorder that
// fails the test if anything is sent: refusing must happen before any request.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Client } from '@temporalio/client';
import fc from 'fast-check';

import { JobSetValidationError } from '../../src/api/errors.js';
import { admitResource, type JobSetResource } from '../../src/bridge/resource.js';
import { JobSetClient } from '../../src/client/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A Temporal client stand-in that records every use. */
function recordingClient(): { client: Client; used: string[] } {
  const used: string[] = [];
  const proxy = (path: string): unknown =>
    new Proxy(() => undefined, {
      get: (_t, prop) => (prop === 'then' ? undefined : proxy(`${path}.${String(prop)}`)),
      apply: () => {
        used.push(path);
        throw new Error(`unexpected call to ${path}`);
      },
    });
  return { client: proxy('client') as Client, used };
}

const container = [{ name: 'main', image: 'busybox' }];
const rjob = (over: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => ({
  name: 'w',
  replicas: 1,
  template: { spec: { template: { spec: { containers: container, ...podSpec } } } },
  ...over,
});
const jobSet = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'hostile' }) => ({
  apiVersion: 'jobset.x-k8s.io/v1alpha2',
  kind: 'JobSet',
  metadata,
  spec: { replicatedJobs: [rjob()], ...spec },
});
let deep: Record<string, unknown> = { leaf: 'x' };
for (let i = 0; i < 5_000; i++) deep = { d: deep };

const cases: Array<{ title: string; input: unknown; path: RegExp }> = [
  { title: 'huge replica count', input: jobSet({ replicatedJobs: [rjob({ replicas: 2 ** 31 })] }), path: /^spec\.replicatedJobs\[0\]\.replicas$/ },
  {
    title: 'replicas x parallelism overflows int32',
    input: jobSet({
      replicatedJobs: [{ ...rjob({ replicas: 100_000 }), template: { spec: { parallelism: 100_000, template: { spec: { containers: container } } } } }],
    }),
    path: /^spec\.replicatedJobs\[0\]/,
  },
  { title: 'JobSet name over the length limit', input: jobSet({}, { name: 'a'.repeat(64) }), path: /^(metadata\.name|spec\.replicatedJobs\[0\]\.name)$/ },
  { title: 'name that makes Job names exceed 63 characters', input: jobSet({}, { name: 'a'.repeat(60) }), path: /^spec\.replicatedJobs\[0\]\.name$/ },
  {
    title: 'invalid message-pattern regex',
    input: jobSet({ failurePolicy: { rules: [{ name: 'r', action: 'FailJobSet', onJobFailureMessagePatterns: ['(unclosed'] }] } }),
    path: /^spec\.failurePolicy\.rules\[0\]\.onJobFailureMessagePatterns\[0\]$/,
  },
  { title: 'unicode name', input: jobSet({}, { name: 'jöb-σετ' }), path: /^metadata\.name$/ },
  { title: 'emoji in a replicatedJob name', input: jobSet({ replicatedJobs: [rjob({ name: '🚀' })] }), path: /^spec\.replicatedJobs\[0\]\.name$/ },
  { title: 'unknown field', input: jobSet({ replicas: 3 }), path: /^spec\.replicas$/ },
  { title: 'spec is a list', input: { ...jobSet({}), spec: [] }, path: /^spec$/ },
  { title: 'label value is a number', input: jobSet({}, { name: 'hostile', labels: { a: 1 } }), path: /^metadata\.labels/ },
  {
    title: 'deeply nested object in an unknown spec field',
    input: jobSet({ deep }),
    path: /^spec\.deep$/,
  },
  {
    title: '10 MB annotation and an unknown field',
    input: { ...jobSet({ bogus: true }), metadata: { name: 'hostile', annotations: { big: 'x'.repeat(10 * 1024 * 1024) } } },
    path: /^spec\.bogus$/,
  },
  { title: '__proto__ key', input: JSON.parse('{"metadata":{"name":"hostile"},"spec":{"__proto__":{"x":1},"replicatedJobs":[]}}'), path: /^spec/ },
];

describe.each(cases)('$title', ({ input, path }) => {
  test('the SDK refuses it with the field path before any request', async () => {
    const { client, used } = recordingClient();
    const sdk = new JobSetClient({ client });
    const err = await sdk.submit(input as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JobSetValidationError);
    expect((err as JobSetValidationError).issues.some((i) => path.test(i.path))).toBe(true);
    expect(used).toEqual([]);
  });

  test('the bridge refuses the resource with the field path', () => {
    const resource = input as JobSetResource;
    const admitted = admitResource({ ...resource, metadata: { namespace: 'ns', uid: 'u', ...(resource.metadata ?? {}) } });
    expect(admitted.ok).toBe(false);
    if (!admitted.ok) expect(admitted.issues.some((i) => path.test(i.path))).toBe(true);
  });
});

test('the CLI refuses hostile files with exit 2 and the field path, without contacting Temporal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
  const files = cases.filter((c) => !/10 MB|deeply/.test(c.title)).slice(0, 4);
  for (const [i, c] of files.entries()) {
    const file = join(dir, `${i}.json`);
    writeFileSync(file, JSON.stringify(c.input));
    // An address where nothing listens: reaching Temporal would fail with exit 1, not 2.
    const run = spawnSync(process.execPath, ['bin/jobset.js', 'submit', '-f', file, '--address', '127.0.0.1:9'], { cwd: root, encoding: 'utf8' });
    expect({ title: c.title, status: run.status }).toEqual({ title: c.title, status: 2 });
    expect(run.stderr.split('\n').some((line) => c.path.test(line.split(':')[0]!.replace(/^\(document \d+\) /, '')))).toBe(true);
  }
}, 120_000);

test('arbitrary JSON never crashes submit and never reaches Temporal unless valid', async () => {
  await fc.assert(
    fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
      const { client, used } = recordingClient();
      const err = await new JobSetClient({ client }).submit(value as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      // Random JSON is never a valid JobSet: it is refused with our error, before any request.
      expect(err).toBeInstanceOf(JobSetValidationError);
      expect(used).toEqual([]);
    }),
    { numRuns: 300 },
  );
});
