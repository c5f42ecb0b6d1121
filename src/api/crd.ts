// The JobSet CustomResourceDefinition, derived from the JSON Schema of the zod schema
// (src/api/json-schema.ts) so the API server, the CLI and the workflow accept the same objects.
// `npm run gen:crd` writes it to deploy/crd/; a unit test fails when the file is stale.
//
// The JSON Schema is turned into a *structural* OpenAPI v3 schema, as the API server requires:
// every node has a type, no $ref/anyOf/const, `properties` and `additionalProperties` never
// together. Our strict objects become plain objects (unknown fields are then pruned, or refused
// by kubectl's strict field validation); the loosely-checked Kubernetes objects (Job and pod
// templates, PVC templates) keep the fields we check and preserve everything else. On top come
// what only a CRD can say: list-map keys, the upstream printer columns, and the CEL rules of the
// upstream CRD (docs/design.md §1.1, §2.2).
import { stringify } from 'yaml';

import { BridgeControllerName, GROUP, KIND, PLURAL, VERSION } from './constants.js';
import { jobSetJsonSchema } from './json-schema.js';
import { ValidationMessage as M } from './messages.js';

type Schema = Record<string, unknown>;

export const CRD_NAME = `${PLURAL}.${GROUP}`;

/** JSON Schema keywords that have no place in a CRD schema. */
const dropped = new Set(['$schema', '$id', 'title', 'propertyNames']);

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * A JSON Schema node as a structural schema node. Only the constructs the zod generator emits for
 * our schema are handled; anything else throws, so a schema change that the CRD cannot carry is
 * noticed when the file is regenerated instead of producing a CRD the API server refuses.
 */
export function toStructural(node: Schema, path = ''): Schema {
  const out: Schema = {};
  // `z.union([z.literal(''), z.enum([...])])`: a string enum.
  if (Array.isArray(node.anyOf)) {
    const values = (node.anyOf as Schema[]).flatMap((alt) => {
      if (alt.type !== 'string') throw new Error(`${path}: anyOf over non-string alternatives cannot be structural`);
      if ('const' in alt) return [alt.const];
      if (Array.isArray(alt.enum)) return alt.enum as unknown[];
      throw new Error(`${path}: anyOf alternative without const/enum`);
    });
    return { type: 'string', enum: values, ...(node.default !== undefined ? { default: node.default } : {}) };
  }
  for (const [key, value] of Object.entries(node)) {
    if (dropped.has(key)) continue;
    switch (key) {
      case 'const':
        out.enum = [value];
        break;
      case 'properties':
      case 'additionalProperties':
      case 'items':
        break; // below
      case '$ref':
      case '$defs':
      case 'definitions':
      case 'oneOf':
      case 'allOf':
      case 'not':
        throw new Error(`${path}: ${key} cannot be expressed in a structural schema`);
      default:
        out[key] = value;
    }
  }
  if (typeof node.type !== 'string') throw new Error(`${path || '(root)'}: every node needs a type`);
  if (node.type === 'integer') {
    const { minimum, maximum } = node as { minimum?: number; maximum?: number };
    if (minimum !== undefined && maximum !== undefined && minimum >= INT32_MIN && maximum <= INT32_MAX) out.format = 'int32';
    else out.format = 'int64';
  }
  if (node.type === 'array') {
    if (typeof node.items !== 'object' || node.items === null) throw new Error(`${path}: array without items`);
    out.items = toStructural(node.items as Schema, `${path}[]`);
  }
  if (node.type === 'object') {
    const props = (node.properties ?? {}) as Record<string, Schema>;
    const extra = node.additionalProperties;
    const loose = typeof extra === 'object' && extra !== null && Object.keys(extra).length === 0;
    if (Object.keys(props).length > 0) {
      out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, toStructural(v, `${path}.${k}`)]));
    }
    if (loose) {
      // A Kubernetes object we only partly check: the fields we name are typed, the rest is kept.
      out['x-kubernetes-preserve-unknown-fields'] = true;
    } else if (typeof extra === 'object' && extra !== null) {
      // A string map (labels, nodeSelector): additionalProperties without properties.
      if (Object.keys(props).length > 0) throw new Error(`${path}: properties and additionalProperties together`);
      out.additionalProperties = toStructural(extra as Schema, `${path}.*`);
    }
    // `additionalProperties: false` (our strict objects) is the structural default: dropped.
  }
  return out;
}

/** Follows `.properties.a.properties.b`, `[]` stepping into `items`. */
function at(schema: Schema, path: string): Schema {
  let node = schema;
  for (const step of path.split('.')) {
    const array = step.endsWith('[]');
    const name = array ? step.slice(0, -2) : step;
    node = (node.properties as Record<string, Schema> | undefined)?.[name] as Schema;
    if (!node) throw new Error(`CRD schema has no field ${path}`);
    if (array) node = node.items as Schema;
  }
  return node;
}

interface Rule {
  rule: string;
  message: string;
  fieldPath?: string;
  reason?: string;
}

const addRule = (node: Schema, rule: Rule) => {
  node['x-kubernetes-validations'] = [...((node['x-kubernetes-validations'] as Rule[] | undefined) ?? []), rule];
};

/** The spec and status schemas with what a CRD adds: list keys and the upstream CEL rules. */
function decorate(root: Schema): void {
  // List-maps as upstream: names are unique, and server-side apply merges entries by key (the
  // worker and the bridge each own their conditions in status.conditions).
  for (const [path, key] of [
    ['spec.replicatedJobs', 'name'],
    ['spec.replicatedJobs[].dependsOn', 'name'],
    ['status.conditions', 'type'],
    ['status.replicatedJobsStatus', 'name'],
  ] as const) {
    const node = at(root, path);
    node['x-kubernetes-list-type'] = 'map';
    node['x-kubernetes-list-map-keys'] = [key];
  }
  for (const path of ['spec.successPolicy.targetReplicatedJobs', 'spec.volumeClaimPolicies', 'spec.failurePolicy.rules']) {
    at(root, path)['x-kubernetes-list-type'] = 'atomic';
  }

  // Upstream CEL transition rules: a policy may not change once the JobSet exists. The API server
  // runs them only when the field is in both the old and the new object (§1.2 note).
  for (const field of ['network', 'successPolicy', 'failurePolicy', 'startupPolicy', 'volumeClaimPolicies']) {
    addRule(at(root, `spec.${field}`), { rule: 'self == oldSelf', message: M.ValueImmutable });
  }
  addRule(at(root, 'spec.replicatedJobs[].dependsOn'), { rule: 'self == oldSelf', message: M.ValueImmutable });

  const spec = at(root, 'spec');
  addRule(spec, {
    rule: "!(has(self.startupPolicy) && self.startupPolicy.startupPolicyOrder == 'InOrder' && has(self.replicatedJobs) && self.replicatedJobs.exists(x, has(x.dependsOn)))",
    message: M.StartupPolicyDependsOnExclusive,
  });
  // Upstream's webhook keeps managedBy immutable, including setting or clearing it; a rule on the
  // field itself would only see changes of a value present on both sides, so it sits on spec.
  addRule(spec, {
    rule: "(has(self.managedBy) ? self.managedBy : '') == (has(oldSelf.managedBy) ? oldSelf.managedBy : '')",
    message: M.FieldImmutable,
    fieldPath: '.managedBy',
    reason: 'FieldValueInvalid',
  });
  addRule(at(root, 'spec.volumeClaimPolicies[].templates[].metadata'), { rule: '!has(self.namespace)', message: M.VolumeClaimNamespace });
  // Bounds that CEL cost estimation needs and upstream has.
  at(root, 'spec.managedBy').maxLength = 63;
}

/** The CustomResourceDefinition object. */
export function jobSetCrd(jsonSchema: Schema = jobSetJsonSchema()): Schema {
  const props = jsonSchema.properties as Record<string, Schema>;
  const root: Schema = {
    type: 'object',
    description: `JobSet runs a group of Kubernetes Jobs as one workload. Under jobset-temporal each JobSet whose spec.managedBy is ${BridgeControllerName} runs as a durable Temporal workflow.`,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      // The API server validates object metadata itself; a CRD may not describe it further.
      metadata: { type: 'object' },
      spec: toStructural(props.spec as Schema, 'spec'),
      status: toStructural(props.status as Schema, 'status'),
    },
    required: ['spec'],
  };
  decorate(root);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: CRD_NAME,
      labels: { 'app.kubernetes.io/name': 'jobset-temporal', 'app.kubernetes.io/component': 'crd' },
    },
    spec: {
      group: GROUP,
      names: { kind: KIND, listKind: `${KIND}List`, plural: PLURAL, singular: KIND.toLowerCase(), shortNames: ['js'] },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'TerminalState', type: 'string', jsonPath: '.status.terminalState', description: 'The final state of the JobSet (Completed or Failed)' },
            { name: 'Restarts', type: 'string', jsonPath: '.status.restarts', description: 'Number of times the JobSet has been restarted' },
            {
              name: 'Completed',
              type: 'string',
              jsonPath: '.status.conditions[?(@.type=="Completed")].status',
              description: 'Whether the JobSet has completed',
            },
            { name: 'Suspended', type: 'string', jsonPath: '.spec.suspend', description: 'Whether the JobSet is suspended' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time this JobSet was created' },
          ],
          schema: { openAPIV3Schema: root },
        },
      ],
    },
  };
}

/** The file content of deploy/crd/jobsets.jobset.x-k8s.io.yaml. */
export function renderJobSetCrd(): string {
  const header = [
    '# Generated by `npm run gen:crd` (scripts/gen-crd.ts) from the zod schema in src/api/schema.ts.',
    '# Do not edit: change the schema or src/api/crd.ts and regenerate.',
  ].join('\n');
  return `${header}\n${stringify(jobSetCrd(), { lineWidth: 0 })}`;
}
