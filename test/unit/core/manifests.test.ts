import type { V1OwnerReference, V1PodTemplateSpec } from '@kubernetes/client-node';

import { Annotation, Label, NoScheduleTaintKey } from '../../../src/api/constants.js';
import { UnknownReplicatedJobError, buildJob, buildPVCs, buildService, mergeForResume } from '../../../src/core/manifests.js';
import { jobKey } from '../../../src/core/naming.js';
import { makeJobSet, makeReplicatedJob, makeStatus } from './builders.js';

const owner: V1OwnerReference = {
  apiVersion: 'jobset.x-k8s.io/v1alpha2',
  kind: 'JobSet',
  name: 'js',
  uid: 'js-uid-1',
  controller: true,
  blockOwnerDeletion: true,
};

// Two groups: default = {leader(1), workers(3)}, other = {extra(2)}.
const grouped = () =>
  makeJobSet('js', 'ns')
    .replicatedJob(makeReplicatedJob('leader'))
    .replicatedJob(makeReplicatedJob('extra').replicas(2).groupName('other'))
    .replicatedJob(makeReplicatedJob('workers').replicas(3));

describe('buildJob labels and annotations (§1.5)', () => {
  const status = makeStatus()
    .restarts(2, 1)
    .rjob('workers', { jobRestarts: [0, 4, 1] })
    .obj();
  const job = buildJob(grouped().obj(), 'workers', 1, status);
  const want = {
    [Label.JobSetName]: 'js',
    [Label.JobSetUID]: 'js-uid-1',
    [Label.ReplicatedJobName]: 'workers',
    [Label.ReplicatedJobReplicas]: '3',
    [Label.GlobalReplicas]: '6',
    [Label.JobIndex]: '1',
    [Label.JobGlobalIndex]: '4',
    [Label.JobKey]: jobKey('ns', 'js-workers-1'),
    [Label.GroupName]: 'default',
    [Label.GroupReplicas]: '4',
    [Label.JobGroupIndex]: '2',
    [Label.RestartAttempt]: '2',
    [Label.JobRestartAttempt]: '4',
  };

  test.each([
    ['Job labels', job.metadata.labels],
    ['Job annotations', job.metadata.annotations],
    ['pod template labels', job.spec.template.metadata?.labels],
    ['pod template annotations', job.spec.template.metadata?.annotations],
  ])('%s', (_, got) => {
    expect(got).toEqual(want);
  });

  test('name, namespace, kind', () => {
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'js-workers-1', namespace: 'ns' } });
    expect(job.metadata.ownerReferences).toBeUndefined();
  });

  test.each([
    ['extra', 0, { global: '1', group: '0', groupReplicas: '2', groupName: 'other' }],
    ['extra', 1, { global: '2', group: '1', groupReplicas: '2', groupName: 'other' }],
    ['leader', 0, { global: '0', group: '0', groupReplicas: '4', groupName: 'default' }],
    ['workers', 0, { global: '3', group: '1', groupReplicas: '4', groupName: 'default' }],
  ])('indexes of %s-%i', (rjob, idx, w) => {
    const l = buildJob(grouped().obj(), rjob, idx, makeStatus().obj()).metadata.labels;
    expect([l[Label.JobGlobalIndex], l[Label.JobGroupIndex], l[Label.GroupReplicas], l[Label.GroupName]]).toEqual([
      w.global,
      w.group,
      w.groupReplicas,
      w.groupName,
    ]);
  });
});

describe('buildJob', () => {
  test.each([
    ['no replicatedJobsStatus entry', makeStatus().obj(), '0'],
    ['entry without jobRestarts', makeStatus().rjob('w').obj(), '0'],
    [
      'jobRestarts shorter than the index',
      makeStatus()
        .rjob('w', { jobRestarts: [3] })
        .obj(),
      '0',
    ],
    [
      'jobRestarts at the index',
      makeStatus()
        .rjob('w', { jobRestarts: [0, 3] })
        .obj(),
      '3',
    ],
  ])('job-restart-attempt with %s', (_, status, want) => {
    const js = makeJobSet().replicatedJob(makeReplicatedJob('w').replicas(2)).obj();
    const job = buildJob(js, 'w', 1, status);
    expect(job.metadata.labels[Label.JobRestartAttempt]).toBe(want);
    expect(job.spec.template.metadata?.labels?.[Label.JobRestartAttempt]).toBe(want);
  });

  test('keeps the template labels and annotations, ours win on a clash', () => {
    const js = makeJobSet()
      .replicatedJob(
        makeReplicatedJob('w')
          .jobLabels({ team: 'ml', [Label.JobIndex]: 'bogus' })
          .jobAnnotations({ note: 'job' })
          .podLabels({ app: 'trainer' })
          .podAnnotations({ note: 'pod' }),
      )
      .obj();
    const job = buildJob(js, 'w', 0, makeStatus().obj());
    expect(job.metadata.labels).toMatchObject({ team: 'ml', [Label.JobIndex]: '0' });
    expect(job.metadata.annotations).toMatchObject({ note: 'job' });
    expect(job.spec.template.metadata?.labels).toMatchObject({ app: 'trainer', [Label.JobIndex]: '0' });
    expect(job.spec.template.metadata?.labels?.team).toBeUndefined();
    expect(job.spec.template.metadata?.annotations).toMatchObject({ note: 'pod' });
  });

  test('no jobset-uid without metadata.uid', () => {
    const js = makeJobSet().uid(undefined).replicatedJob(makeReplicatedJob('w')).obj();
    const job = buildJob(js, 'w', 0, makeStatus().obj());
    expect(job.metadata.labels).not.toHaveProperty([Label.JobSetUID]);
    expect(job.spec.template.metadata?.annotations).not.toHaveProperty([Label.JobSetUID]);
  });

  test.each([
    ['without coordinator', undefined, undefined],
    ['with coordinator', { replicatedJob: 'w', jobIndex: 1, podIndex: 2 }, 'js-w-1-2.js'],
  ])('coordinator label %s', (_, coordinator, want) => {
    const b = makeJobSet().replicatedJob(makeReplicatedJob('w').replicas(2).completions(3));
    if (coordinator) b.coordinator(coordinator);
    const job = buildJob(b.obj(), 'w', 0, makeStatus().obj());
    for (const m of [job.metadata.labels, job.metadata.annotations, job.spec.template.metadata?.labels, job.spec.template.metadata?.annotations]) {
      expect(m?.[Label.Coordinator]).toBe(want);
    }
  });

  test.each([
    ['enabled by default', undefined, 'js'],
    ['enabled with subdomain', { subdomain: 'net' }, 'net'],
    ['disabled', { enableDNSHostnames: false }, undefined],
  ])('pod subdomain when DNS hostnames %s', (_, network, want) => {
    const b = makeJobSet().replicatedJob(makeReplicatedJob('w'));
    if (network) b.network(network);
    expect(buildJob(b.obj(), 'w', 0, makeStatus().obj()).spec.template.spec.subdomain).toBe(want);
  });

  test.each([
    [undefined, false],
    [false, false],
    [true, true],
  ])('spec.suspend with JobSet suspend %s is %s', (suspend, want) => {
    const js = makeJobSet().suspend(suspend).replicatedJob(makeReplicatedJob('w')).obj();
    expect(buildJob(js, 'w', 0, makeStatus().obj()).spec.suspend).toBe(want);
  });

  test('ownerReference is set when given', () => {
    const js = makeJobSet().replicatedJob(makeReplicatedJob('w')).obj();
    expect(buildJob(js, 'w', 0, makeStatus().obj(), { ownerReference: owner }).metadata.ownerReferences).toEqual([owner]);
  });

  test('is a deep copy: mutating the Job leaves the JobSet intact', () => {
    const js = makeJobSet()
      .replicatedJob(makeReplicatedJob('w').podLabels({ a: 'b' }))
      .obj();
    const before = JSON.stringify(js);
    const job = buildJob(js, 'w', 0, makeStatus().obj());
    job.spec.template.spec.containers[0]!.name = 'changed';
    job.spec.template.metadata!.labels!.a = 'changed';
    expect(JSON.stringify(js)).toBe(before);
  });

  test('copies the rest of the Job spec untouched', () => {
    const js = makeJobSet().replicatedJob(makeReplicatedJob('w').parallelism(4).completions(8)).obj();
    const job = buildJob(js, 'w', 0, makeStatus().obj());
    expect(job.spec).toMatchObject({ parallelism: 4, completions: 8, completionMode: 'Indexed' });
    expect(job.spec.template.spec.restartPolicy).toBe('OnFailure');
  });

  test('an unknown replicated job is an error', () => {
    const js = makeJobSet().replicatedJob(makeReplicatedJob('w')).obj();
    expect(() => buildJob(js, 'nope', 0, makeStatus().obj())).toThrow(UnknownReplicatedJobError);
  });
});

describe('buildJob exclusive placement', () => {
  const topo = 'cloud.google.com/gke-nodepool';
  const ownKey = jobKey('ns', 'js-w-0');
  const affinityTerm = (key: string) => ({
    labelSelector: { matchExpressions: [{ key: Label.JobKey, operator: 'In', values: [ownKey] }] },
    topologyKey: key,
    namespaceSelector: {},
  });
  const antiAffinityTerm = (key: string) => ({
    labelSelector: {
      matchExpressions: [
        { key: Label.JobKey, operator: 'Exists' },
        { key: Label.JobKey, operator: 'NotIn', values: [ownKey] },
      ],
    },
    topologyKey: key,
    namespaceSelector: {},
  });

  test('no annotation: no placement fields', () => {
    const job = buildJob(makeJobSet().replicatedJob(makeReplicatedJob('w')).obj(), 'w', 0, makeStatus().obj());
    expect(job.spec.template.spec.affinity).toBeUndefined();
    expect(job.spec.template.spec.nodeSelector).toBeUndefined();
    expect(job.spec.template.spec.tolerations).toBeUndefined();
    expect(job.metadata.annotations).not.toHaveProperty([Annotation.ExclusiveTopology]);
  });

  test('JobSet annotation: affinity + anti-affinity on the pod, annotation on Job and pod', () => {
    const js = makeJobSet()
      .annotations({ [Annotation.ExclusiveTopology]: topo })
      .replicatedJob(makeReplicatedJob('w'))
      .obj();
    const job = buildJob(js, 'w', 0, makeStatus().obj());
    expect(job.metadata.annotations[Annotation.ExclusiveTopology]).toBe(topo);
    expect(job.spec.template.metadata?.annotations?.[Annotation.ExclusiveTopology]).toBe(topo);
    // Annotation only: never a label.
    expect(job.metadata.labels).not.toHaveProperty([Annotation.ExclusiveTopology]);
    expect(job.spec.template.spec.affinity).toEqual({
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm(topo)] },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [antiAffinityTerm(topo)] },
    });
    expect(job.spec.template.spec.nodeSelector).toBeUndefined();
  });

  test('rjob template annotation wins over the JobSet annotation', () => {
    const js = makeJobSet()
      .annotations({ [Annotation.ExclusiveTopology]: 'zone' })
      .replicatedJob(makeReplicatedJob('w').jobAnnotations({ [Annotation.ExclusiveTopology]: 'rack' }))
      .obj();
    const job = buildJob(js, 'w', 0, makeStatus().obj());
    expect(job.metadata.annotations[Annotation.ExclusiveTopology]).toBe('rack');
    expect(job.spec.template.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.topologyKey).toBe('rack');
  });

  test('existing affinity terms are kept and ours appended', () => {
    const existing = { labelSelector: { matchLabels: { x: 'y' } }, topologyKey: 'host' };
    const js = makeJobSet()
      .annotations({ [Annotation.ExclusiveTopology]: topo })
      .replicatedJob(
        makeReplicatedJob('w').podSpec({
          affinity: {
            nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] },
            podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [existing] },
            podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [existing] },
          },
        }),
      )
      .obj();
    const a = buildJob(js, 'w', 0, makeStatus().obj()).spec.template.spec.affinity;
    expect(a?.nodeAffinity).toEqual({ preferredDuringSchedulingIgnoredDuringExecution: [] });
    expect(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([existing, affinityTerm(topo)]);
    expect(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([existing, antiAffinityTerm(topo)]);
  });

  test.each([
    ['JobSet level', { [Annotation.ExclusiveTopology]: topo, [Annotation.NodeSelectorStrategy]: 'true' }, undefined],
    ['rjob level', undefined, { [Annotation.ExclusiveTopology]: topo, [Annotation.NodeSelectorStrategy]: 'true' }],
  ])('node-selector strategy at %s: nodeSelector + toleration, no affinity', (_, jsAnn, rjAnn) => {
    const b = makeJobSet();
    if (jsAnn) b.annotations(jsAnn);
    const rj = makeReplicatedJob('w').podSpec({ nodeSelector: { pool: 'a' }, tolerations: [{ key: 'gpu', operator: 'Exists' }] });
    if (rjAnn) rj.jobAnnotations(rjAnn);
    const job = buildJob(b.replicatedJob(rj).obj(), 'w', 0, makeStatus().obj());
    expect(job.metadata.annotations[Annotation.NodeSelectorStrategy]).toBe('true');
    expect(job.spec.template.metadata?.annotations?.[Annotation.NodeSelectorStrategy]).toBe('true');
    expect(job.spec.template.spec.nodeSelector).toEqual({ pool: 'a', [Label.NamespacedJob]: 'ns_js-w-0' });
    expect(job.spec.template.spec.tolerations).toEqual([
      { key: 'gpu', operator: 'Exists' },
      { key: NoScheduleTaintKey, operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(job.spec.template.spec.affinity).toBeUndefined();
  });

  test('node-selector flag without exclusive-topology is not copied', () => {
    const js = makeJobSet()
      .annotations({ [Annotation.NodeSelectorStrategy]: 'true' })
      .replicatedJob(makeReplicatedJob('w'))
      .obj();
    const job = buildJob(js, 'w', 0, makeStatus().obj());
    expect(job.metadata.annotations).not.toHaveProperty([Annotation.NodeSelectorStrategy]);
    expect(job.spec.template.spec.nodeSelector).toBeUndefined();
  });
});

describe('buildJob PVC volumes', () => {
  const vcp = [
    {
      templates: [
        { metadata: { name: 'ckpt' }, spec: { accessModes: ['ReadWriteMany'] } },
        { metadata: { name: 'data' }, spec: {} },
        { metadata: { name: 'unused' }, spec: {} },
      ],
    },
  ];
  test('adds a claim volume for each template the pod mounts (containers or initContainers)', () => {
    const js = makeJobSet()
      .volumeClaimPolicies(vcp)
      .replicatedJob(
        makeReplicatedJob('w').podSpec({
          volumes: [{ name: 'scratch', emptyDir: {} }],
          initContainers: [{ name: 'init', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          containers: [{ name: 'main', volumeMounts: [{ name: 'ckpt', mountPath: '/ckpt' }] }],
        }),
      )
      .obj();
    expect(buildJob(js, 'w', 0, makeStatus().obj()).spec.template.spec.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'ckpt', persistentVolumeClaim: { claimName: 'ckpt-js' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'data-js' } },
    ]);
  });
  test('no volumes when nothing is mounted', () => {
    const js = makeJobSet().volumeClaimPolicies(vcp).replicatedJob(makeReplicatedJob('w')).obj();
    expect(buildJob(js, 'w', 0, makeStatus().obj()).spec.template.spec.volumes).toBeUndefined();
  });
});

describe('buildService', () => {
  test.each([
    ['defaults', undefined, { name: 'js', publish: true }],
    ['subdomain and publishNotReadyAddresses=false', { subdomain: 'net', publishNotReadyAddresses: false }, { name: 'net', publish: false }],
  ])('%s', (_, network, want) => {
    const b = makeJobSet().replicatedJob(makeReplicatedJob('w'));
    if (network) b.network(network);
    expect(buildService(b.obj())).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: want.name, namespace: 'ns', labels: { [Label.JobSetName]: 'js', [Label.JobSetUID]: 'js-uid-1' } },
      spec: { clusterIP: 'None', selector: { [Label.JobSetName]: 'js' }, publishNotReadyAddresses: want.publish },
    });
  });
  test('ownerReference when given', () => {
    const svc = buildService(makeJobSet().obj(), { ownerReference: owner });
    expect(svc.metadata?.ownerReferences).toEqual([owner]);
  });
});

describe('buildPVCs', () => {
  const js = makeJobSet()
    .volumeClaimPolicies([
      {
        templates: [{ metadata: { name: 'init', labels: { tier: 'fast' }, annotations: { a: 'b' } }, spec: { accessModes: ['ReadWriteOnce'] } }],
      },
      { templates: [{ metadata: { name: 'ckpt' }, spec: {} }], retentionPolicy: { whenDeleted: 'Retain' } },
    ])
    .obj();

  test('one PVC per template; owner only for whenDeleted=Delete', () => {
    expect(buildPVCs(js, { ownerReference: owner })).toEqual([
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: 'init-js',
          namespace: 'ns',
          labels: { tier: 'fast', [Label.JobSetName]: 'js', [Label.JobSetUID]: 'js-uid-1' },
          annotations: { a: 'b' },
          ownerReferences: [owner],
        },
        spec: { accessModes: ['ReadWriteOnce'] },
      },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'ckpt-js', namespace: 'ns', labels: { [Label.JobSetName]: 'js', [Label.JobSetUID]: 'js-uid-1' } },
        spec: {},
      },
    ]);
  });
  test('no owner reference without an owner', () => {
    expect(buildPVCs(js).map((p) => p.metadata?.ownerReferences)).toEqual([undefined, undefined]);
  });
  test('none without volumeClaimPolicies', () => {
    expect(buildPVCs(makeJobSet().obj())).toEqual([]);
  });
});

describe('mergeForResume', () => {
  const jobTpl: V1PodTemplateSpec = {
    metadata: { labels: { a: 'job', keep: 'x' }, annotations: { n: 'job' } },
    spec: {
      containers: [{ name: 'main' }],
      nodeSelector: { zone: 'old', keep: 'y' },
      tolerations: [{ key: 'old', operator: 'Exists' }],
      schedulingGates: [{ name: 'kueue' }],
      subdomain: 'js',
    },
  };

  test('maps merge with rjob values winning; slices come from the rjob template', () => {
    const rjobTpl: V1PodTemplateSpec = {
      metadata: { labels: { a: 'rjob', b: 'new' }, annotations: { n: 'rjob' } },
      spec: { containers: [{ name: 'ignored' }], nodeSelector: { zone: 'new' }, tolerations: [{ key: 'new', operator: 'Exists' }] },
    };
    expect(mergeForResume(jobTpl, rjobTpl)).toEqual({
      metadata: { labels: { a: 'rjob', keep: 'x', b: 'new' }, annotations: { n: 'rjob' } },
      spec: {
        containers: [{ name: 'main' }],
        nodeSelector: { zone: 'new', keep: 'y' },
        tolerations: [{ key: 'new', operator: 'Exists' }],
        subdomain: 'js',
      },
    });
  });

  test('rjob template without tolerations or gates clears them', () => {
    const got = mergeForResume(jobTpl, { spec: { containers: [{ name: 'main' }] } });
    expect(got.spec?.tolerations).toBeUndefined();
    expect(got.spec?.schedulingGates).toBeUndefined();
    expect(got.spec?.nodeSelector).toEqual({ zone: 'old', keep: 'y' });
    expect(got.metadata?.labels).toEqual({ a: 'job', keep: 'x' });
  });

  test('keeps the injected node-selector-strategy toleration (its nodeSelector survives too)', () => {
    const injected = { key: NoScheduleTaintKey, operator: 'Exists', effect: 'NoSchedule' };
    const job: V1PodTemplateSpec = {
      spec: { containers: [{ name: 'main' }], nodeSelector: { [Label.NamespacedJob]: 'ns_js-w-0' }, tolerations: [injected] },
    };
    const got = mergeForResume(job, { spec: { containers: [{ name: 'main' }], tolerations: [{ key: 'gpu', operator: 'Exists' }] } });
    expect(got.spec?.tolerations).toEqual([{ key: 'gpu', operator: 'Exists' }, injected]);
    expect(got.spec?.nodeSelector).toEqual({ [Label.NamespacedJob]: 'ns_js-w-0' });
  });

  test('does not mutate its inputs', () => {
    const before = JSON.stringify(jobTpl);
    mergeForResume(jobTpl, { metadata: { labels: { z: '1' } }, spec: { containers: [] } });
    expect(JSON.stringify(jobTpl)).toBe(before);
  });
});
