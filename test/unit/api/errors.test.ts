// Field paths and the rendering of validation errors.
import { z } from 'zod';

import { formatIssue, formatPath, issuesFromZod, JobSetValidationError, joinPath } from '../../../src/api/errors.js';

it.each<[PropertyKey[], string]>([
  [[], '(root)'],
  [['metadata', 'name'], 'metadata.name'],
  [['spec', 'replicatedJobs', 1, 'replicas'], 'spec.replicatedJobs[1].replicas'],
  [['metadata', 'labels', 'kwok-sim/fail'], 'metadata.labels[kwok-sim/fail]'],
  [['spec', 'template', 'metadata', 'annotations', 'a.b'], 'spec.template.metadata.annotations[a.b]'],
])('formatPath(%j) = %j', (segments, want) => {
  expect(formatPath(segments)).toBe(want);
});

it.each([
  ['', 'spec.x', 'spec.x'],
  ['items[2]', 'spec.x', 'items[2].spec.x'],
  ['items[2]', '(root)', 'items[2]'],
  ['a', '[0].b', 'a[0].b'],
])('joinPath(%j, %j) = %j', (prefix, path, want) => {
  expect(joinPath(prefix, path)).toBe(want);
});

it('zod issues become one issue per field, unknown keys at their own path', () => {
  const schema = z.strictObject({ spec: z.strictObject({ replicas: z.number().min(0) }) });
  const result = schema.safeParse({ spec: { replicas: -1, foo: 1, bar: 2 } });
  expect(result.success).toBe(false);
  expect(issuesFromZod(result.error!, 'items[0]')).toEqual([
    { path: 'items[0].spec.replicas', message: 'Too small: expected number to be >=0' },
    { path: 'items[0].spec.foo', message: 'unknown field "foo"' },
    { path: 'items[0].spec.bar', message: 'unknown field "bar"' },
  ]);
});

it('renders one issue per line under a heading', () => {
  const err = new JobSetValidationError(
    [
      { path: 'metadata.name', message: 'name or generateName is required' },
      { path: 'spec.replicatedJobs[1].replicas', message: 'bad', document: 2 },
    ],
    { subject: 'JobSet "x"' },
  );
  expect(err).toBeInstanceOf(Error);
  expect(err.name).toBe('JobSetValidationError');
  expect(err.message).toBe(
    ['JobSet "x" is invalid (2 errors):', '  ✖ metadata.name: name or generateName is required', '  ✖ (document 2) spec.replicatedJobs[1].replicas: bad'].join(
      '\n',
    ),
  );
  expect(formatIssue(err.issues[1]!)).toBe('(document 2) spec.replicatedJobs[1].replicas: bad');
});

it('is never empty', () => {
  expect(new JobSetValidationError([]).issues).toHaveLength(1);
});
