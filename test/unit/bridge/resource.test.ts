// The bridge's decisions about one resource, without a cluster: ownership, the JobSet its
// workflow runs, and what a spec change asks of the running workflow.
import { BridgeControllerName, UpstreamControllerName } from '../../../src/api/constants.js';
import { parseJobSet } from '../../../src/api/load.js';
import type { JobSet } from '../../../src/api/schema.js';
import {
  admitResource,
  isManagedByBridge,
  NotChangeableMessage,
  ownerReference,
  planSpecChange,
  ttlExpiry,
  type JobSetResource,
} from '../../../src/bridge/resource.js';
import { rjob } from '../api/builders.js';

const resource = (spec: Record<string, unknown>, extra: Partial<JobSetResource['metadata']> = {}): JobSetResource => ({
  apiVersion: 'jobset.x-k8s.io/v1alpha2',
  kind: 'JobSet',
  metadata: { name: 'js', namespace: 'ns', uid: 'uid-1', generation: 1, resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z', ...extra },
  spec,
});
const twoJobs = () => ({ replicatedJobs: [rjob('leader').obj(), rjob('workers').replicas(2).obj()] });
const admitted = (r: JobSetResource): JobSet => {
  const a = admitResource(r);
  if (!a.ok) throw new Error(JSON.stringify(a.issues));
  return a.jobSet;
};
/** The running JobSet with a change applied to a copy of its spec. */
const changed = (base: JobSet, edit: (spec: any) => void): JobSet => {
  const copy = structuredClone(base);
  edit(copy.spec);
  return parseJobSet(copy);
};

describe('isManagedByBridge', () => {
  it.each([
    [BridgeControllerName, false, true],
    [BridgeControllerName, true, true],
    [undefined, false, false],
    [undefined, true, true],
    ['', true, true],
    [UpstreamControllerName, true, false],
    ['kueue.x-k8s.io/multikueue', true, false],
  ])('managedBy %p, adoptUnmanaged %p -> %p', (managedBy, adopt, expected) => {
    expect(isManagedByBridge(resource({ ...twoJobs(), ...(managedBy !== undefined ? { managedBy } : {}) }), adopt)).toBe(expected);
  });
});

it('owner reference makes the resource the controlling owner that blocks foreground deletion', () => {
  expect(ownerReference(resource(twoJobs()))).toEqual({
    apiVersion: 'jobset.x-k8s.io/v1alpha2',
    kind: 'JobSet',
    name: 'js',
    uid: 'uid-1',
    controller: true,
    blockOwnerDeletion: true,
  });
});

describe('admitResource', () => {
  it('carries the identity (UID included) and defaults the spec; drops kubectl last-applied and server fields', () => {
    const js = admitted(
      resource(twoJobs(), {
        labels: { team: 'a' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}', note: 'x' },
      }),
    );
    expect(js.metadata).toEqual({ name: 'js', namespace: 'ns', uid: 'uid-1', labels: { team: 'a' }, annotations: { note: 'x' } });
    expect(js.spec.replicatedJobs.map((r) => [r.name, r.replicas, r.groupName])).toEqual([
      ['leader', 1, 'default'],
      ['workers', 2, 'default'],
    ]);
    expect(js.spec.successPolicy).toEqual({ operator: 'All' });
  });

  it('refuses what create validation refuses, naming the field', () => {
    const r = admitResource(resource({ ...twoJobs(), coordinator: { replicatedJob: 'workers', jobIndex: 5 } }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues).toEqual([{ path: 'spec.coordinator.jobIndex', message: 'coordinator job index 5 is invalid for replicatedJob workers' }]);
  });
});

describe('planSpecChange', () => {
  const running = admitted(resource(twoJobs()));
  const suspended = changed(running, (s) => (s.suspend = true));

  it('nothing changed, or only metadata: nothing to do', () => {
    expect(planSpecChange(running, running)).toEqual({ kind: 'none' });
    expect(planSpecChange(running, { ...running, metadata: { ...running.metadata, labels: { a: 'b' } } })).toEqual({ kind: 'none' });
  });

  it('suspend=true -> suspend Update', () => {
    expect(planSpecChange(running, suspended)).toEqual({ kind: 'suspend' });
  });

  it('suspend=false on a suspended JobSet -> resume Update carrying every rjob scheduling field', () => {
    const desired = changed(suspended, (s) => {
      s.suspend = false;
      const pod = s.replicatedJobs[1].template.spec.template;
      pod.metadata = { labels: { queue: 'q1' } };
      pod.spec.nodeSelector = { pool: 'a' };
      pod.spec.schedulingGates = [{ name: 'gate' }];
    });
    const plan = planSpecChange(suspended, desired);
    expect(plan).toEqual({
      kind: 'resume',
      request: {
        podTemplates: {
          leader: { labels: {}, annotations: {}, nodeSelector: {}, tolerations: [], schedulingGates: [] },
          workers: { labels: { queue: 'q1' }, annotations: {}, nodeSelector: { pool: 'a' }, tolerations: [], schedulingGates: [{ name: 'gate' }] },
        },
      },
    });
  });

  it('scheduling fields edited while suspended wait for the resume', () => {
    const desired = changed(suspended, (s) => (s.replicatedJobs[0].template.spec.template.spec.nodeSelector = { pool: 'b' }));
    expect(planSpecChange(suspended, desired)).toEqual({ kind: 'none' });
  });

  it('scheduling fields edited while running are refused (upstream immutability)', () => {
    const desired = changed(running, (s) => (s.replicatedJobs[0].template.spec.template.spec.nodeSelector = { pool: 'b' }));
    expect(planSpecChange(running, desired)).toEqual({
      kind: 'reject',
      issues: [{ path: 'spec.replicatedJobs[0].template.spec.template.spec.nodeSelector.pool', message: 'field is immutable' }],
    });
  });

  it('an immutable change refuses the whole edit, the suspend in it included', () => {
    const desired = changed(running, (s) => {
      s.suspend = true;
      s.replicatedJobs[1].replicas = 3;
    });
    expect(planSpecChange(running, desired)).toEqual({
      kind: 'reject',
      issues: [{ path: 'spec.replicatedJobs[1].replicas', message: 'field is immutable' }],
    });
  });

  it('policies: CEL immutability message; once per field, not once per sub-field', () => {
    const desired = changed(running, (s) => (s.network = { enableDNSHostnames: false, subdomain: 'x' }));
    expect(planSpecChange(running, desired)).toEqual({ kind: 'reject', issues: [{ path: 'spec.network', message: 'Value is immutable' }] });
  });

  it('changes upstream allows but a running workflow cannot take are refused too', () => {
    const desired = changed(running, (s) => {
      s.ttlSecondsAfterFinished = 60;
      s.failurePolicy = { maxRestarts: 2 };
    });
    const plan = planSpecChange(running, desired);
    expect(plan.kind).toBe('reject');
    expect(plan.kind === 'reject' && plan.issues.map((i) => i.path).sort()).toEqual([
      'spec.failurePolicy.maxRestarts',
      'spec.failurePolicy.restartStrategy',
      'spec.ttlSecondsAfterFinished',
    ]);
    expect(plan.kind === 'reject' && new Set(plan.issues.map((i) => i.message))).toEqual(new Set([NotChangeableMessage]));
  });
});

describe('ttlExpiry', () => {
  const finished = (ttl?: number): JobSetResource => ({
    ...resource({ ...twoJobs(), ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}) }),
    status: {
      terminalState: 'Completed',
      conditions: [{ type: 'Completed', status: 'True', reason: 'AllJobsCompleted', message: '', lastTransitionTime: '2025-01-01T00:00:10Z' }],
    },
  });
  it('is the finish time plus the TTL', () => {
    expect(ttlExpiry(finished(30))).toBe(Date.parse('2025-01-01T00:00:40Z'));
    expect(ttlExpiry(finished(0))).toBe(Date.parse('2025-01-01T00:00:10Z'));
  });
  it('is undefined without a TTL or before the JobSet finished', () => {
    expect(ttlExpiry(finished())).toBeUndefined();
    expect(ttlExpiry({ ...finished(30), status: { conditions: [] } })).toBeUndefined();
  });
});
