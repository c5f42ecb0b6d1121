// Defaulting: every upstream webhook default (docs/design.md §2.1) and CRD default is applied
// when the field is absent, and an explicit value is kept.
import { type JobSet, type JobSetInput, jobSetSchema } from '../../../src/api/schema.js';
import { jobSet, rjob } from './builders.js';

const parse = (input: JobSetInput): JobSet => jobSetSchema.parse(input);

interface Case {
  name: string;
  input: JobSetInput;
  pick: (js: JobSet) => unknown;
  want: unknown;
}

describe('webhook defaults (§2.1)', () => {
  it.each<Case>([
    { name: 'successPolicy: All', input: jobSet().obj(), pick: (js) => js.spec.successPolicy, want: { operator: 'All' } },
    {
      name: 'successPolicy: kept',
      input: jobSet()
        .set('successPolicy', { operator: 'Any', targetReplicatedJobs: ['w'] })
        .obj(),
      pick: (js) => js.spec.successPolicy,
      want: { operator: 'Any', targetReplicatedJobs: ['w'] },
    },
    { name: 'startupPolicy: AnyOrder', input: jobSet().obj(), pick: (js) => js.spec.startupPolicy, want: { startupPolicyOrder: 'AnyOrder' } },
    {
      name: 'startupPolicy: kept',
      input: jobSet().set('startupPolicy', { startupPolicyOrder: 'InOrder' }).obj(),
      pick: (js) => js.spec.startupPolicy,
      want: { startupPolicyOrder: 'InOrder' },
    },
    {
      name: 'completionMode: Indexed',
      input: jobSet().obj(),
      pick: (js) => js.spec.replicatedJobs[0]?.template.spec.completionMode,
      want: 'Indexed',
    },
    {
      name: 'completionMode: kept',
      input: jobSet().replicatedJobs(rjob('w').jobSpecField('completionMode', 'NonIndexed')).obj(),
      pick: (js) => js.spec.replicatedJobs[0]?.template.spec.completionMode,
      want: 'NonIndexed',
    },
    {
      name: 'pod restartPolicy: OnFailure',
      input: jobSet().obj(),
      pick: (js) => js.spec.replicatedJobs[0]?.template.spec.template.spec?.restartPolicy,
      want: 'OnFailure',
    },
    {
      name: 'pod restartPolicy: kept',
      input: jobSet().replicatedJobs(rjob('w').podSpecField('restartPolicy', 'Never')).obj(),
      pick: (js) => js.spec.replicatedJobs[0]?.template.spec.template.spec?.restartPolicy,
      want: 'Never',
    },
    {
      name: 'network: DNS hostnames on, not-ready addresses published',
      input: jobSet().obj(),
      pick: (js) => js.spec.network,
      want: { enableDNSHostnames: true, publishNotReadyAddresses: true },
    },
    {
      name: 'network: missing fields of a partial network',
      input: jobSet().set('network', { subdomain: 'svc' }).obj(),
      pick: (js) => js.spec.network,
      want: { enableDNSHostnames: true, subdomain: 'svc', publishNotReadyAddresses: true },
    },
    {
      name: 'network: explicit false kept',
      input: jobSet().set('network', { enableDNSHostnames: false, publishNotReadyAddresses: false }).obj(),
      pick: (js) => js.spec.network,
      want: { enableDNSHostnames: false, publishNotReadyAddresses: false },
    },
    {
      name: 'failure policy rules: empty or missing names become failurePolicyRule<index>',
      input: jobSet()
        .set('failurePolicy', { rules: [{ action: 'FailJobSet' }, { name: 'mine', action: 'FailJobSet' }, { name: '', action: 'RestartJobSet' }] })
        .obj(),
      pick: (js) => js.spec.failurePolicy?.rules.map((r) => r.name),
      want: ['failurePolicyRule0', 'mine', 'failurePolicyRule2'],
    },
    {
      name: 'volume claim policy: retentionPolicy whenDeleted Delete',
      input: jobSet()
        .set('volumeClaimPolicies', [{ templates: [] }])
        .obj(),
      pick: (js) => js.spec.volumeClaimPolicies?.[0]?.retentionPolicy,
      want: { whenDeleted: 'Delete' },
    },
    {
      name: 'volume claim policy: empty retentionPolicy gets whenDeleted Delete',
      input: jobSet()
        .set('volumeClaimPolicies', [{ templates: [], retentionPolicy: {} }])
        .obj(),
      pick: (js) => js.spec.volumeClaimPolicies?.[0]?.retentionPolicy,
      want: { whenDeleted: 'Delete' },
    },
    {
      name: 'volume claim policy: Retain kept',
      input: jobSet()
        .set('volumeClaimPolicies', [{ templates: [], retentionPolicy: { whenDeleted: 'Retain' } }])
        .obj(),
      pick: (js) => js.spec.volumeClaimPolicies?.[0]?.retentionPolicy,
      want: { whenDeleted: 'Retain' },
    },
  ])('$name', ({ input, pick, want }) => {
    expect(pick(parse(input))).toEqual(want);
  });
});

describe('CRD defaults', () => {
  it.each<Case>([
    { name: 'replicas: 1', input: jobSet().obj(), pick: (js) => js.spec.replicatedJobs[0]?.replicas, want: 1 },
    { name: 'replicas: 0 kept', input: jobSet().replicatedJobs(rjob('w').replicas(0)).obj(), pick: (js) => js.spec.replicatedJobs[0]?.replicas, want: 0 },
    { name: 'groupName: default', input: jobSet().obj(), pick: (js) => js.spec.replicatedJobs[0]?.groupName, want: 'default' },
    { name: 'groupName: kept', input: jobSet().replicatedJobs(rjob('w').groupName('g')).obj(), pick: (js) => js.spec.replicatedJobs[0]?.groupName, want: 'g' },
    { name: 'no failurePolicy stays absent', input: jobSet().obj(), pick: (js) => js.spec.failurePolicy, want: undefined },
    {
      name: 'failurePolicy: restartStrategy Recreate, maxRestarts 0, no rules',
      input: jobSet().set('failurePolicy', {}).obj(),
      pick: (js) => js.spec.failurePolicy,
      want: { maxRestarts: 0, restartStrategy: 'Recreate', rules: [] },
    },
    {
      name: 'failurePolicy: restartStrategy kept',
      input: jobSet().set('failurePolicy', { restartStrategy: 'BlockingRecreate', maxRestarts: 4 }).obj(),
      pick: (js) => js.spec.failurePolicy,
      want: { maxRestarts: 4, restartStrategy: 'BlockingRecreate', rules: [] },
    },
    {
      name: 'coordinator: jobIndex and podIndex 0',
      input: jobSet().set('coordinator', { replicatedJob: 'w' }).obj(),
      pick: (js) => js.spec.coordinator,
      want: { replicatedJob: 'w', jobIndex: 0, podIndex: 0 },
    },
    {
      name: 'apiVersion and kind',
      input: (() => {
        const { apiVersion: _a, kind: _k, ...rest } = jobSet().obj();
        return rest as JobSetInput;
      })(),
      pick: (js) => [js.apiVersion, js.kind],
      want: ['jobset.x-k8s.io/v1alpha2', 'JobSet'],
    },
    { name: 'replicatedJobs: empty list', input: { metadata: { name: 'js' }, spec: {} }, pick: (js) => js.spec.replicatedJobs, want: [] },
  ])('$name', ({ input, pick, want }) => {
    expect(pick(parse(input))).toEqual(want);
  });
});

it('defaulting is a fixpoint: parsing a parsed JobSet changes nothing', () => {
  const input = jobSet()
    .set('failurePolicy', { rules: [{ action: 'FailJobSet' }] })
    .set('volumeClaimPolicies', [{ templates: [] }])
    .set('coordinator', { replicatedJob: 'w' })
    .obj();
  const once = parse(input);
  expect(parse(once as JobSetInput)).toEqual(once);
});

it('fields of the pod spec that the schema does not model pass through untouched', () => {
  const js = parse(jobSet().replicatedJobs(rjob('w').podSpecField('priorityClassName', 'high').podSpecField('hostNetwork', true)).obj());
  expect(js.spec.replicatedJobs[0]?.template.spec.template.spec).toMatchObject({ priorityClassName: 'high', hostNetwork: true });
});
