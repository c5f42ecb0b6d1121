import { jobSetSchema } from '../../src/api/schema.js';

test('parsing applies the CRD defaults', () => {
  const js = jobSetSchema.parse({
    metadata: { name: 'a' },
    spec: { replicatedJobs: [{ name: 'w', template: { spec: { template: { spec: { containers: [{ name: 'c' }] } } } } }] },
  });
  expect(js.spec.replicatedJobs[0]?.replicas).toBe(1);
});
