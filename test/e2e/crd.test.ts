// The generated CRD and the ValidatingAdmissionPolicy on the real API server: every example is
// accepted, defaults are applied, and the CEL rules refuse what upstream's CRD refuses, with
// upstream's messages. No bridge runs here: these are the API server's own answers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseAllDocuments, stringify } from 'yaml';

import { createTestNamespace, deleteTestNamespace, eventually } from '../integration/helpers/kube.js';
import { installCrd, kubectl, kubectlOk, smallJobSet } from './helpers/bridge.js';
import { root } from './helpers/cli.js';

let ns: string;
const binding = () => `jobsets-test-${ns}`;

beforeAll(async () => {
  await installCrd();
  ns = await createTestNamespace('crd');
});

afterAll(async () => {
  if (ns) await kubectl(['delete', 'validatingadmissionpolicybinding', binding(), '--ignore-not-found']);
  if (ns) await deleteTestNamespace(ns);
});

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));

test('every example in examples/ is accepted (server-side dry run)', async () => {
  const examples = files(`${root}/examples`);
  expect(examples.length).toBeGreaterThan(10);
  for (const file of examples) {
    const r = await kubectl(['apply', '--dry-run=server', '-n', ns, '-f', file]);
    expect([file, r.code, r.stderr]).toEqual([file, 0, '']);
  }
});

test('the API server applies the schema defaults', async () => {
  await kubectlOk(['apply', '-n', ns, '-f', '-'], stringify(smallJobSet('defaults', { managedBy: null })));
  const js = JSON.parse(await kubectlOk(['get', 'jobset', 'defaults', '-n', ns, '-o', 'json']));
  expect(js.spec.network).toEqual({ enableDNSHostnames: true, publishNotReadyAddresses: true });
  expect(js.spec.successPolicy).toEqual({ operator: 'All' });
  expect(js.spec.startupPolicy).toEqual({ startupPolicyOrder: 'AnyOrder' });
  expect(js.spec.replicatedJobs[0]).toMatchObject({ groupName: 'default', replicas: 1 });
  expect(js.spec.replicatedJobs[0].template.spec.completionMode).toBe('Indexed');
});

describe('refused by the CRD', () => {
  const create = (js: unknown) => kubectl(['apply', '-n', ns, '-f', '-'], stringify(js));

  it.each<[string, (js: any) => void, string]>([
    [
      'InOrder with dependsOn',
      (js) => {
        js.spec.startupPolicy = { startupPolicyOrder: 'InOrder' };
        js.spec.replicatedJobs.push({ ...structuredClone(js.spec.replicatedJobs[0]), name: 'second', dependsOn: [{ name: 'workers', status: 'Ready' }] });
      },
      'StartupPolicy and DependsOn APIs are mutually exclusive',
    ],
    [
      'a namespace in a PVC template',
      (js) => {
        js.spec.volumeClaimPolicies = [{ templates: [{ metadata: { name: 'data', namespace: 'x' }, spec: {} }] }];
      },
      'namespace cannot be set for VolumeClaimPolicies templates',
    ],
    ['an unknown success operator', (js) => (js.spec.successPolicy = { operator: 'Some' }), 'Unsupported value: "Some"'],
    ['negative replicas', (js) => (js.spec.replicatedJobs[0].replicas = -1), 'should be greater than or equal to 0'],
    ['duplicate replicatedJob names', (js) => js.spec.replicatedJobs.push(structuredClone(js.spec.replicatedJobs[0])), 'Duplicate value'],
    ['an unknown spec field (kubectl strict field validation)', (js) => (js.spec.replicatedjobs = []), 'unknown field "spec.replicatedjobs"'],
    [
      'more than 5 dependsOn',
      (js) => {
        js.spec.replicatedJobs.push({
          ...structuredClone(js.spec.replicatedJobs[0]),
          name: 'b',
          dependsOn: ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => ({ name: n, status: 'Ready' })),
        });
      },
      'must have at most 5 items',
    ],
  ])('%s', async (_what, edit, message) => {
    const js = smallJobSet('refused', { managedBy: null });
    edit(js);
    const r = await create(js);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it.each<[string, string, string]>([
    ['network', '{"spec":{"network":{"enableDNSHostnames":false}}}', 'spec.network: Invalid value: "object": Value is immutable'],
    ['successPolicy', '{"spec":{"successPolicy":{"operator":"Any"}}}', 'spec.successPolicy: Invalid value: "object": Value is immutable'],
    ['startupPolicy', '{"spec":{"startupPolicy":{"startupPolicyOrder":"InOrder"}}}', 'spec.startupPolicy: Invalid value: "object": Value is immutable'],
    ['managedBy (set)', '{"spec":{"managedBy":"example.com/other"}}', 'spec.managedBy: Invalid value: "object": field is immutable'],
  ])('changing %s after creation', async (_field, patch, message) => {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], stringify(smallJobSet('immutable', { managedBy: null, extraSpec: { failurePolicy: { maxRestarts: 1 } } })));
    const r = await kubectl(['patch', 'jobset', 'immutable', '-n', ns, '--type=merge', '-p', patch]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('changing failurePolicy, or clearing managedBy, after creation', async () => {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], stringify(smallJobSet('immutable2', { extraSpec: { failurePolicy: { maxRestarts: 1 } } })));
    const fp = await kubectl(['patch', 'jobset', 'immutable2', '-n', ns, '--type=merge', '-p', '{"spec":{"failurePolicy":{"maxRestarts":5}}}']);
    expect(fp.stderr).toContain('spec.failurePolicy: Invalid value: "object": Value is immutable');
    const mb = await kubectl(['patch', 'jobset', 'immutable2', '-n', ns, '--type=json', '-p', '[{"op":"remove","path":"/spec/managedBy"}]']);
    expect(mb.stderr).toContain('spec.managedBy: Invalid value: "object": field is immutable');
    // What upstream allows: suspend, TTL.
    await kubectlOk(['patch', 'jobset', 'immutable2', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":true,"ttlSecondsAfterFinished":30}}']);
  });
});

test('the ValidatingAdmissionPolicy keeps replicatedJobs immutable except scheduling fields while suspended', async () => {
  const text = readFileSync(`${root}/deploy/manifests/validating-admission-policy.yaml`, 'utf8');
  const [policy] = parseAllDocuments(text).map((d) => d.toJS());
  expect(policy.kind).toBe('ValidatingAdmissionPolicy');
  await kubectlOk(['apply', '-f', '-'], stringify(policy));
  // The shipped binding is cluster-wide; this one binds the same policy to this namespace only.
  await kubectlOk(
    ['apply', '-f', '-'],
    stringify({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: binding() },
      spec: {
        policyName: policy.metadata.name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } },
      },
    }),
  );
  await kubectlOk(['apply', '-n', ns, '-f', '-'], stringify(smallJobSet('vap', { replicas: 2 })));
  const patch = (ops: unknown[]) => kubectl(['patch', 'jobset', 'vap', '-n', ns, '--type=json', '-p', JSON.stringify(ops)]);
  const pod = '/spec/replicatedJobs/0/template/spec/template';
  const refused = 'denied request: spec.replicatedJobs: field is immutable';

  // The binding reaches the admission plugin through an informer: wait (with a dry run, which
  // admission sees too) until it refuses a replicas change.
  const replicas3 = JSON.stringify([{ op: 'replace', path: '/spec/replicatedJobs/0/replicas', value: 3 }]);
  const first = await eventually(
    'the policy binding to take effect',
    async () => {
      const r = await kubectl(['patch', 'jobset', 'vap', '-n', ns, '--dry-run=server', '--type=json', '-p', replicas3]);
      return r.code === 0 ? undefined : r;
    },
    120_000,
  );
  expect(first.stderr).toContain(refused);
  expect((await patch(JSON.parse(replicas3))).stderr).toContain(refused);
  expect((await patch([{ op: 'add', path: `${pod}/spec/nodeSelector`, value: { pool: 'a' } }])).stderr).toContain(refused);

  await kubectlOk(['patch', 'jobset', 'vap', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
  expect(await patch([{ op: 'add', path: `${pod}/spec/nodeSelector`, value: { pool: 'a' } }])).toMatchObject({ code: 0 });
  expect(await patch([{ op: 'add', path: `${pod}/spec/schedulingGates`, value: [{ name: 'g' }] }])).toMatchObject({ code: 0 });
  expect(await patch([{ op: 'add', path: `${pod}/metadata/labels`, value: { queue: 'q' } }])).toMatchObject({ code: 0 });
  expect(await patch([{ op: 'add', path: `${pod}/spec/tolerations`, value: [{ key: 'k', operator: 'Exists' }] }])).toMatchObject({ code: 0 });
  for (const ops of [
    [{ op: 'replace', path: `${pod}/spec/containers/0/image`, value: 'other' }],
    [{ op: 'replace', path: '/spec/replicatedJobs/0/template/spec/parallelism', value: 2 }],
    [{ op: 'replace', path: '/spec/replicatedJobs/0/replicas', value: 3 }],
    [{ op: 'replace', path: '/spec/replicatedJobs/0/name', value: 'renamed' }],
  ]) {
    const r = await patch(ops);
    expect([JSON.stringify(ops), r.code]).toEqual([JSON.stringify(ops), 1]);
    expect(r.stderr).toContain('spec.replicatedJobs: field is immutable');
  }
  // Resumed: the scheduling fields are frozen again.
  await kubectlOk(['patch', 'jobset', 'vap', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":false}}']);
  expect((await patch([{ op: 'replace', path: `${pod}/spec/nodeSelector`, value: { pool: 'b' } }])).stderr).toContain(refused);
  // Another manager's JobSets are not this policy's business.
  await kubectlOk(['apply', '-n', ns, '-f', '-'], stringify(smallJobSet('foreign', { managedBy: 'example.com/other' })));
  expect(
    await kubectl([
      'patch',
      'jobset',
      'foreign',
      '-n',
      ns,
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/replicatedJobs/0/replicas', value: 3 }]),
    ]),
  ).toMatchObject({ code: 0 });
});
