// deploy/crd/jobsets.jobset.x-k8s.io.yaml is generated from the JSON Schema (`npm run gen:crd`).
// This fails when the schema changed and the file was not regenerated, and checks the structural
// rules the API server enforces, so a CRD it would refuse is caught without a cluster (the e2e
// tests apply it to the real one).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

import { CRD_NAME, jobSetCrd, renderJobSetCrd, toStructural } from '../../../src/api/crd.js';
import { ValidationMessage as M } from '../../../src/api/messages.js';

const file = fileURLToPath(new URL('../../../deploy/crd/jobsets.jobset.x-k8s.io.yaml', import.meta.url));
type Node = Record<string, any>;
const crd = jobSetCrd() as Node;
const version = crd.spec.versions[0];
const root = version.schema.openAPIV3Schema as Node;
const at = (path: string): Node =>
  path.split('.').reduce<Node>((n, step) => {
    const array = step.endsWith('[]');
    const child = n.properties[array ? step.slice(0, -2) : step];
    return array ? child.items : child;
  }, root);

/** Every schema node with its path. */
function* nodes(n: Node, path = ''): Generator<[string, Node]> {
  yield [path, n];
  for (const [k, v] of Object.entries(n.properties ?? {})) yield* nodes(v as Node, `${path}.${k}`);
  if (n.items) yield* nodes(n.items, `${path}[]`);
  if (typeof n.additionalProperties === 'object') yield* nodes(n.additionalProperties, `${path}.*`);
}

it('deploy/crd/jobsets.jobset.x-k8s.io.yaml is up to date (run `npm run gen:crd`)', () => {
  expect(readFileSync(file, 'utf8')).toBe(renderJobSetCrd());
  expect(parse(readFileSync(file, 'utf8'))).toEqual(crd);
});

it('is the namespaced jobset.x-k8s.io/v1alpha2 JobSet with a status subresource', () => {
  expect(crd.metadata.name).toBe(CRD_NAME);
  expect(CRD_NAME).toBe('jobsets.jobset.x-k8s.io');
  expect(crd.spec).toMatchObject({ group: 'jobset.x-k8s.io', scope: 'Namespaced', names: { kind: 'JobSet', plural: 'jobsets', listKind: 'JobSetList' } });
  expect(crd.spec.versions).toHaveLength(1);
  expect(version).toMatchObject({ name: 'v1alpha2', served: true, storage: true, subresources: { status: {} } });
});

it('has the upstream printer columns', () => {
  expect(version.additionalPrinterColumns.map((c: Node) => [c.name, c.jsonPath])).toEqual([
    ['TerminalState', '.status.terminalState'],
    ['Restarts', '.status.restarts'],
    ['Completed', '.status.conditions[?(@.type=="Completed")].status'],
    ['Suspended', '.spec.suspend'],
    ['Age', '.metadata.creationTimestamp'],
  ]);
});

it('is structural: every node typed, no references, combinators, consts or closed objects', () => {
  for (const [path, n] of nodes(root)) {
    expect([path, typeof n.type]).toEqual([path, 'string']);
    for (const banned of ['$ref', '$defs', 'definitions', 'anyOf', 'oneOf', 'allOf', 'not', 'const', '$schema', 'propertyNames']) {
      expect([path, banned in n]).toEqual([path, false]);
    }
    expect([path, n.additionalProperties === false]).toEqual([path, false]);
    expect([path, n.properties !== undefined && n.additionalProperties !== undefined]).toEqual([path, false]);
  }
  expect(root.properties.metadata).toEqual({ type: 'object' });
});

it('keeps every field of the Job and pod templates we do not check, and types those we do', () => {
  const job = at('spec.replicatedJobs[].template');
  const pod = at('spec.replicatedJobs[].template.spec.template');
  for (const n of [job, job.properties.spec, pod, pod.properties.spec, at('spec.volumeClaimPolicies[].templates[].spec')]) {
    expect(n['x-kubernetes-preserve-unknown-fields']).toBe(true);
  }
  expect(job.properties.spec.properties.completionMode).toEqual({ type: 'string', enum: ['Indexed', 'NonIndexed'], default: 'Indexed' });
  expect(pod.properties.spec.properties.restartPolicy).toMatchObject({ default: 'OnFailure', enum: ['Always', 'OnFailure', 'Never'] });
  expect(pod.properties.spec.properties.nodeSelector).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  expect(at('spec.replicatedJobs[].replicas')).toEqual({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647, default: 1 });
});

it('carries the defaults and enums of the schema', () => {
  expect(at('spec.network').default).toEqual({ enableDNSHostnames: true, publishNotReadyAddresses: true });
  expect(at('spec.successPolicy').default).toEqual({ operator: 'All' });
  expect(at('spec.startupPolicy').default).toEqual({ startupPolicyOrder: 'AnyOrder' });
  expect(at('spec.failurePolicy.restartStrategy')).toMatchObject({ default: 'Recreate', enum: ['Recreate', 'BlockingRecreate', 'InPlaceRestart'] });
  expect(at('spec.replicatedJobs[].dependsOn[].status').enum).toEqual(['Ready', 'Complete']);
  expect(at('status.terminalState')).toEqual({ type: 'string', enum: ['', 'Completed', 'Failed'] });
});

it('declares the upstream list-maps (unique names; conditions merge by type under server-side apply)', () => {
  for (const [path, key] of [
    ['spec.replicatedJobs', 'name'],
    ['spec.replicatedJobs[].dependsOn', 'name'],
    ['status.conditions', 'type'],
    ['status.replicatedJobsStatus', 'name'],
  ] as const) {
    const list = path.endsWith('dependsOn') ? at('spec.replicatedJobs[]').properties.dependsOn : at(path);
    expect([path, list['x-kubernetes-list-type'], list['x-kubernetes-list-map-keys']]).toEqual([path, 'map', [key]]);
    expect(list.items.required).toContain(key);
  }
});

it('has the upstream CEL rules with upstream messages', () => {
  const rules = (n: Node) => (n['x-kubernetes-validations'] ?? []) as Node[];
  for (const field of ['network', 'successPolicy', 'failurePolicy', 'startupPolicy', 'volumeClaimPolicies']) {
    expect(rules(at(`spec.${field}`))).toEqual([{ rule: 'self == oldSelf', message: M.ValueImmutable }]);
  }
  expect(rules(at('spec.replicatedJobs[]').properties.dependsOn)).toEqual([{ rule: 'self == oldSelf', message: M.ValueImmutable }]);
  const spec = rules(at('spec'));
  expect(spec.find((r) => r.message === M.StartupPolicyDependsOnExclusive)?.rule).toContain("'InOrder'");
  expect(spec.find((r) => r.fieldPath === '.managedBy')).toMatchObject({ message: M.FieldImmutable });
  expect(rules(at('spec.volumeClaimPolicies[].templates[].metadata'))).toEqual([{ rule: '!has(self.namespace)', message: M.VolumeClaimNamespace }]);
});

it('refuses JSON Schema it cannot turn into a structural schema', () => {
  expect(() => toStructural({ type: 'object', properties: { a: { $ref: '#/$defs/x' } } })).toThrow('.a: $ref cannot be expressed');
  expect(() => toStructural({ properties: {} })).toThrow('every node needs a type');
  expect(() => toStructural({ anyOf: [{ type: 'integer', const: 1 }] })).toThrow('anyOf over non-string');
});
