// Update validation (docs/design.md §2.4): what may and may not change between the stored
// JobSet and an update of it. Rejecting rows state the exact issues.
import type { FieldIssue } from '../../../src/api/errors.js';
import { ValidationMessage as M } from '../../../src/api/messages.js';
import { type JobSetInput, jobSetSchema } from '../../../src/api/schema.js';
import { validateUpdate } from '../../../src/api/validate.js';
import { type JobSetBuilder, jobSet, rjob } from './builders.js';

const immutable = (path: string): FieldIssue => ({ path, message: M.FieldImmutable });
const celImmutable = (path: string): FieldIssue => ({ path, message: M.ValueImmutable });
const pod = 'spec.replicatedJobs[0].template.spec.template';

interface Case {
  name: string;
  old: JobSetInput;
  new: JobSetInput;
  want: FieldIssue[];
}

const base = (): JobSetBuilder => jobSet().replicatedJobs(rjob('w').replicas(2).pods(2));
const suspended = (b: JobSetBuilder) => b.set('suspend', true);
/** The base JobSet whose only rjob has the given pod-template changes. */
const withPod = (f: (r: ReturnType<typeof rjob>) => ReturnType<typeof rjob>) => jobSet().replicatedJobs(f(rjob('w').replicas(2).pods(2)));
const schedulingChanges = (r: ReturnType<typeof rjob>) =>
  r
    .podAnnotations({ 'kueue.x-k8s.io/admitted': 'true' })
    .podSpecField('nodeSelector', { 'cloud.google.com/gke-nodepool': 'pool-a' })
    .podSpecField('tolerations', [{ key: 'tpu', operator: 'Exists', effect: 'NoSchedule' }])
    .podSpecField('schedulingGates', [{ name: 'kueue.x-k8s.io/topology' }]);

describe('replicatedJobs', () => {
  it.each<Case>([
    { name: 'unchanged', old: base().obj(), new: base().obj(), want: [] },
    {
      name: 'replicas changed',
      old: base().obj(),
      new: jobSet().replicatedJobs(rjob('w').replicas(3).pods(2)).obj(),
      want: [immutable('spec.replicatedJobs[0].replicas')],
    },
    {
      name: 'an rjob added',
      old: base().obj(),
      new: jobSet().replicatedJobs(rjob('w').replicas(2).pods(2), rjob('x')).obj(),
      want: [immutable('spec.replicatedJobs')],
    },
    {
      name: 'an rjob renamed',
      old: base().obj(),
      new: jobSet().replicatedJobs(rjob('v').replicas(2).pods(2)).obj(),
      want: [immutable('spec.replicatedJobs[0].name')],
    },
    {
      name: 'parallelism and completions changed (ElasticJobSet is not supported)',
      old: base().obj(),
      new: jobSet().replicatedJobs(rjob('w').replicas(2).pods(3)).obj(),
      want: [immutable('spec.replicatedJobs[0].template.spec.parallelism'), immutable('spec.replicatedJobs[0].template.spec.completions')],
    },
    {
      name: 'dependsOn changed',
      old: jobSet()
        .replicatedJobs(rjob('a'), rjob('b').dependsOn(['a', 'Ready']))
        .obj(),
      new: jobSet()
        .replicatedJobs(rjob('a'), rjob('b').dependsOn(['a', 'Complete']))
        .obj(),
      want: [immutable('spec.replicatedJobs[1].dependsOn[0].status')],
    },
    {
      name: 'pod scheduling fields changed while not suspended',
      old: base().obj(),
      new: withPod(schedulingChanges).obj(),
      // Fields of the old object come first, then those only the new one has.
      want: [
        immutable(`${pod}.spec.nodeSelector[cloud.google.com/gke-nodepool]`),
        immutable(`${pod}.spec.tolerations`),
        immutable(`${pod}.spec.schedulingGates`),
        immutable(`${pod}.metadata.annotations[kueue.x-k8s.io/admitted]`),
      ],
    },
    { name: 'pod scheduling fields changed while suspended', old: suspended(base()).obj(), new: suspended(withPod(schedulingChanges)).obj(), want: [] },
    { name: 'pod scheduling fields changed while suspending', old: base().obj(), new: suspended(withPod(schedulingChanges)).obj(), want: [] },
    { name: 'pod scheduling fields changed while resuming', old: suspended(base()).obj(), new: withPod(schedulingChanges).obj(), want: [] },
    {
      name: 'a container image changed while suspended',
      old: suspended(base()).obj(),
      new: suspended(withPod((r) => r.podSpecField('containers', [{ name: 'main', image: 'busybox:1.37' }]))).obj(),
      want: [immutable(`${pod}.spec.containers[0].image`)],
    },
    {
      name: 'Job-level (not pod) labels changed while suspended',
      old: suspended(base()).obj(),
      new: suspended(withPod((r) => r.jobSpecField('backoffLimit', 3))).obj(),
      want: [immutable('spec.replicatedJobs[0].template.spec.backoffLimit')],
    },
    {
      name: 'an empty list and an absent list are the same value',
      old: withPod((r) => r.podSpecField('tolerations', [])).obj(),
      new: base().obj(),
      want: [],
    },
  ])('$name', ({ old, new: next, want }) => {
    expect(validateUpdate(jobSetSchema.parse(old), jobSetSchema.parse(next))).toEqual(want);
  });

  it('pod labels may change while suspended, not otherwise', () => {
    const labelled = () => {
      const input = base().obj();
      const tmpl = (input.spec.replicatedJobs as { template: { spec: { template: { metadata: Record<string, unknown> } } } }[])[0]!.template.spec.template;
      tmpl.metadata.labels = { 'kueue.x-k8s.io/podset': 'main' };
      return input;
    };
    const susp = (i: JobSetInput) => ({ ...i, spec: { ...i.spec, suspend: true } });
    expect(validateUpdate(jobSetSchema.parse(susp(base().obj())), jobSetSchema.parse(susp(labelled())))).toEqual([]);
    expect(validateUpdate(jobSetSchema.parse(base().obj()), jobSetSchema.parse(labelled()))).toEqual([
      immutable(`${pod}.metadata.labels[kueue.x-k8s.io/podset]`),
    ]);
  });
});

describe('other spec fields', () => {
  it.each<Case>([
    { name: 'managedBy unchanged', old: base().set('managedBy', 'a.io/b').obj(), new: base().set('managedBy', 'a.io/b').obj(), want: [] },
    {
      name: 'managedBy changed',
      old: base().set('managedBy', 'a.io/b').obj(),
      new: base().set('managedBy', 'a.io/c').obj(),
      want: [immutable('spec.managedBy')],
    },
    { name: 'managedBy added', old: base().obj(), new: base().set('managedBy', 'a.io/c').obj(), want: [immutable('spec.managedBy')] },
    { name: 'network changed', old: base().obj(), new: base().set('network', { subdomain: 'x' }).obj(), want: [celImmutable('spec.network')] },
    {
      name: 'successPolicy changed',
      old: base().obj(),
      new: base().set('successPolicy', { operator: 'Any' }).obj(),
      want: [celImmutable('spec.successPolicy')],
    },
    {
      name: 'failurePolicy changed',
      old: base().set('failurePolicy', { maxRestarts: 1 }).obj(),
      new: base().set('failurePolicy', { maxRestarts: 2 }).obj(),
      want: [celImmutable('spec.failurePolicy')],
    },
    {
      name: 'failurePolicy added (CEL compares only when both exist)',
      old: base().obj(),
      new: base().set('failurePolicy', { maxRestarts: 2 }).obj(),
      want: [],
    },
    { name: 'failurePolicy removed', old: base().set('failurePolicy', { maxRestarts: 2 }).obj(), new: base().obj(), want: [] },
    {
      name: 'startupPolicy changed',
      old: base().obj(),
      new: base().set('startupPolicy', { startupPolicyOrder: 'InOrder' }).obj(),
      want: [celImmutable('spec.startupPolicy')],
    },
    {
      name: 'volumeClaimPolicies changed',
      old: base()
        .set('volumeClaimPolicies', [{ templates: [] }])
        .obj(),
      new: base()
        .set('volumeClaimPolicies', [{ templates: [], retentionPolicy: { whenDeleted: 'Retain' } }])
        .obj(),
      want: [celImmutable('spec.volumeClaimPolicies')],
    },
    {
      name: 'volumeClaimPolicies added',
      old: base().obj(),
      new: base()
        .set('volumeClaimPolicies', [{ templates: [] }])
        .obj(),
      want: [],
    },
    { name: 'suspend toggled', old: base().obj(), new: suspended(base()).obj(), want: [] },
    {
      name: 'ttlSecondsAfterFinished changed',
      old: base().set('ttlSecondsAfterFinished', 10).obj(),
      new: base().set('ttlSecondsAfterFinished', 20).obj(),
      want: [],
    },
    { name: 'coordinator changed', old: base().obj(), new: base().set('coordinator', { replicatedJob: 'w', podIndex: 1 }).obj(), want: [] },
    {
      name: 'metadata.name changed',
      old: base().obj(),
      new: jobSet('other').replicatedJobs(rjob('w').replicas(2).pods(2)).obj(),
      want: [immutable('metadata.name')],
    },
    {
      name: 'metadata.namespace changed',
      old: base().meta('namespace', 'a').obj(),
      new: base().meta('namespace', 'b').obj(),
      want: [immutable('metadata.namespace')],
    },
    { name: 'labels changed', old: base().obj(), new: base().meta('labels', { team: 'x' }).obj(), want: [] },
  ])('$name', ({ old, new: next, want }) => {
    expect(validateUpdate(jobSetSchema.parse(old), jobSetSchema.parse(next))).toEqual(want);
  });

  it('does not re-run create validation: an unchanged JobSet that would fail it is accepted', () => {
    const invalid = jobSetSchema.parse(base().set('network', { subdomain: 'Not.Valid' }).obj());
    expect(validateUpdate(invalid, invalid)).toEqual([]);
  });
});
