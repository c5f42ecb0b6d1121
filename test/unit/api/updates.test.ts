// The suspend and resume Update requests, checked without zod (the workflow's Update validators
// run them in the sandbox). Every refusal names the field, as the schema-checked ones do.
import { JobSetValidationError } from '../../../src/api/errors.js';
import { applyResume, parseResumeRequest, parseSuspendRequest } from '../../../src/api/updates.js';
import { makeJobSet, makeReplicatedJob } from '../core/builders.js';

const js = makeJobSet('train', 'ns').replicatedJob(makeReplicatedJob('workers').replicas(2)).obj();

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof JobSetValidationError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('resume request', () => {
  test.each<[string, unknown, string[]]>([
    ['no request', undefined, []],
    ['empty', {}, []],
    [
      'every scheduling field',
      {
        podTemplates: {
          workers: {
            labels: { a: 'b' },
            annotations: { c: 'd' },
            nodeSelector: { zone: 'z1' },
            tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
            schedulingGates: [{ name: 'g' }],
          },
        },
      },
      [],
    ],
    ['not an object', 'resume', ['(root): Invalid input: expected object, received string']],
    ['an unknown top-level field', { suspend: false }, ['suspend: unknown field "suspend"']],
    ['podTemplates not an object', { podTemplates: [] }, ['podTemplates: Invalid input: expected object, received array']],
    [
      'a field outside the scheduling fields',
      { podTemplates: { workers: { containers: [] } } },
      ['podTemplates.workers.containers: unknown field "containers"'],
    ],
    [
      'a label that is not a string',
      { podTemplates: { workers: { labels: { a: 1 } } } },
      ['podTemplates.workers.labels.a: Invalid input: expected string, received number'],
    ],
    [
      'tolerations not a list',
      { podTemplates: { workers: { tolerations: {} } } },
      ['podTemplates.workers.tolerations: Invalid input: expected array, received object'],
    ],
    [
      'a toleration key that is not a string',
      { podTemplates: { workers: { tolerations: [{ key: 3 }] } } },
      ['podTemplates.workers.tolerations[0].key: Invalid input: expected string, received number'],
    ],
    [
      'an empty scheduling gate name',
      { podTemplates: { workers: { schedulingGates: [{ name: '' }] } } },
      ['podTemplates.workers.schedulingGates[0].name: Too small: expected string to have >=1 characters'],
    ],
    [
      'a scheduling gate with another field',
      { podTemplates: { workers: { schedulingGates: [{ name: 'g', x: 1 }] } } },
      ['podTemplates.workers.schedulingGates[0].x: unknown field "x"'],
    ],
    ['a replicated job the JobSet does not have', { podTemplates: { nope: {} } }, ['podTemplates[nope]: replicatedJob "nope" is not in spec.replicatedJobs']],
  ])('%s', (_, request, expected) => {
    expect(issues(() => parseResumeRequest(js, request))).toEqual(expected);
  });

  test('before admission only the shape is checked (the replicated jobs are not known yet)', () => {
    expect(issues(() => parseResumeRequest(undefined, { podTemplates: { nope: {} } }))).toEqual([]);
    expect(issues(() => parseResumeRequest(undefined, { podTemplates: { nope: { image: 'x' } } }))).toEqual(['podTemplates.nope.image: unknown field "image"']);
  });

  test('applied: suspend=false and the named rjob gets the scheduling fields', () => {
    const resumed = applyResume(js, parseResumeRequest(js, { podTemplates: { workers: { nodeSelector: { zone: 'z1' } } } }));
    expect(resumed.spec.suspend).toBe(false);
    expect(resumed.spec.replicatedJobs[0]!.template.spec.template.spec?.nodeSelector).toEqual({ zone: 'z1' });
  });
});

describe('suspend request', () => {
  test.each<[string, unknown, string[]]>([
    ['no request', undefined, []],
    ['empty', {}, []],
    ['any field', { podTemplates: {} }, ['podTemplates: unknown field "podTemplates"']],
    ['not an object', 1, ['(root): Invalid input: expected object, received number']],
  ])('%s', (_, request, expected) => {
    expect(issues(() => parseSuspendRequest(request))).toEqual(expected);
  });
});
