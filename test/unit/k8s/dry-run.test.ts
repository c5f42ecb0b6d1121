// Issue 12 item 1: the API server's refusal of a dry-run Job, as JobSet field issues.
import { ApiException } from '@kubernetes/client-node';

import { dryRunIssues, jobSetPathOfJobField } from '../../../src/k8s/dry-run.js';
import { isPermanent } from '../../../src/k8s/errors.js';

const refused = (code: number, body: unknown) => new ApiException(code, 'refused', JSON.stringify(body), {});

describe('issue 12 item 1: jobSetPathOfJobField', () => {
  test.each([
    [0, 'spec.template.spec.containers[0].name', 'spec.replicatedJobs[0].template.spec.template.spec.containers[0].name'],
    [2, 'spec.backoffLimit', 'spec.replicatedJobs[2].template.spec.backoffLimit'],
    [1, 'metadata.labels', 'spec.replicatedJobs[1].template.metadata.labels'],
    [1, 'metadata.name', 'spec.replicatedJobs[1]'],
    [0, '', 'spec.replicatedJobs[0]'],
  ])('rjob %i, Job field %j -> %s', (index, field, path) => expect(jobSetPathOfJobField(index, field)).toBe(path));
});

describe('issue 12 item 1: dryRunIssues', () => {
  test('one issue per cause, at the JobSet path, with the API server message', () => {
    const err = refused(422, {
      kind: 'Status',
      reason: 'Invalid',
      message: 'Job.batch "js-w-0" is invalid: [...]',
      details: {
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: "Bad_Name": a lowercase RFC 1123 label must ...',
            field: 'spec.template.spec.containers[0].name',
          },
          { reason: 'FieldValueNotSupported', message: 'Unsupported value: "Always"', field: 'spec.template.spec.restartPolicy' },
        ],
      },
    });
    expect(dryRunIssues(err, 1)).toEqual([
      {
        path: 'spec.replicatedJobs[1].template.spec.template.spec.containers[0].name',
        message: 'Invalid value: "Bad_Name": a lowercase RFC 1123 label must ...',
      },
      { path: 'spec.replicatedJobs[1].template.spec.template.spec.restartPolicy', message: 'Unsupported value: "Always"' },
    ]);
  });

  test('a refusal without causes is reported whole at the replicated job', () => {
    expect(dryRunIssues(refused(400, { kind: 'Status', reason: 'BadRequest', message: 'no' }), 0)).toEqual([
      { path: 'spec.replicatedJobs[0]', message: 'HTTP 400: no' },
    ]);
  });
});

describe('issue 12 item 1: errors that can heal are not permanent', () => {
  test.each([
    [400, true],
    [422, true],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
    [429, false],
    [500, false],
  ])('HTTP %i permanent: %s', (code, permanent) => expect(isPermanent(refused(code, {}))).toBe(permanent));
});
