// Requests that change a running JobSet (the workflow's `suspend` and `resume` Updates).
// Upstream lets a suspended JobSet's pod templates change only in their scheduling fields
// (labels, annotations, nodeSelector, tolerations, schedulingGates: the Kueue contract, §2.4);
// a resume request may carry exactly those, per replicated job, and nothing else.
//
// Checked by hand, not with zod: the workflow's Update validators run these inside the workflow
// sandbox, where every module is evaluated once per workflow (issue 13 item 3).
import { formatPath, JobSetValidationError, type FieldIssue } from './errors.js';
import { ValidationMessage } from './messages.js';
import type { JobSet } from './schema.js';

export interface Toleration {
  key?: string;
  operator?: string;
  [field: string]: unknown;
}

export interface PodTemplatePatch {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  schedulingGates?: Array<{ name: string }>;
}

export type SuspendRequest = Record<string, never> | undefined;

export interface ResumeRequest {
  /** Pod-template changes to apply before resuming, by replicated job name. */
  podTemplates?: Record<string, PodTemplatePatch>;
}

type Path = Array<string | number>;

/** Collects the issues of one request, each at its field's path. */
class Check {
  readonly issues: FieldIssue[] = [];

  fail(path: Path, message: string): void {
    this.issues.push({ path: formatPath(path), message });
  }

  object(value: unknown, path: Path, fields: readonly string[] | 'any'): value is Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `Invalid input: expected object, received ${describe(value)}`);
      return false;
    }
    if (fields !== 'any') for (const key of Object.keys(value)) if (!fields.includes(key)) this.fail([...path, key], ValidationMessage.UnknownField(key));
    return true;
  }

  string(value: unknown, path: Path): boolean {
    if (typeof value === 'string') return true;
    this.fail(path, `Invalid input: expected string, received ${describe(value)}`);
    return false;
  }

  stringMap(value: unknown, path: Path): void {
    if (value === undefined || !this.object(value, path, 'any')) return;
    for (const [k, v] of Object.entries(value)) this.string(v, [...path, k]);
  }

  array(value: unknown, path: Path, each: (item: unknown, path: Path) => void): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) return this.fail(path, `Invalid input: expected array, received ${describe(value)}`);
    value.forEach((item, i) => each(item, [...path, i]));
  }
}

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const PATCH_FIELDS = ['labels', 'annotations', 'nodeSelector', 'tolerations', 'schedulingGates'] as const;

function checkPatch(check: Check, patch: unknown, path: Path): void {
  if (!check.object(patch, path, PATCH_FIELDS)) return;
  check.stringMap(patch.labels, [...path, 'labels']);
  check.stringMap(patch.annotations, [...path, 'annotations']);
  check.stringMap(patch.nodeSelector, [...path, 'nodeSelector']);
  check.array(patch.tolerations, [...path, 'tolerations'], (t, p) => {
    if (!check.object(t, p, 'any')) return;
    if (t.key !== undefined) check.string(t.key, [...p, 'key']);
    if (t.operator !== undefined) check.string(t.operator, [...p, 'operator']);
  });
  check.array(patch.schedulingGates, [...path, 'schedulingGates'], (g, p) => {
    if (!check.object(g, p, ['name']) || !check.string(g.name, [...p, 'name'])) return;
    if (g.name === '') check.fail([...p, 'name'], 'Too small: expected string to have >=1 characters');
  });
}

/**
 * Validates a resume request against the JobSet (its shape only when `js` is not known yet);
 * throws JobSetValidationError naming the field.
 */
export function parseResumeRequest(js: JobSet | undefined, input: unknown): ResumeRequest {
  const check = new Check();
  const request = input ?? {};
  if (check.object(request, [], ['podTemplates']) && request.podTemplates !== undefined && check.object(request.podTemplates, ['podTemplates'], 'any')) {
    for (const [name, patch] of Object.entries(request.podTemplates)) checkPatch(check, patch, ['podTemplates', name]);
  }
  if (check.issues.length > 0) throw new JobSetValidationError(check.issues, { subject: 'resume request' });
  const parsed = request as ResumeRequest;
  if (!js) return parsed;
  const names = new Set(js.spec.replicatedJobs.map((r) => r.name));
  const unknown = Object.keys(parsed.podTemplates ?? {}).filter((n) => !names.has(n));
  if (unknown.length > 0) {
    throw new JobSetValidationError(
      unknown.map((n) => ({ path: `podTemplates[${n}]`, message: `replicatedJob "${n}" is not in spec.replicatedJobs` })),
      { subject: 'resume request' },
    );
  }
  return parsed;
}

export function parseSuspendRequest(input: unknown): SuspendRequest {
  const check = new Check();
  check.object(input ?? {}, [], []);
  if (check.issues.length > 0) throw new JobSetValidationError(check.issues, { subject: 'suspend request' });
  return (input ?? {}) as SuspendRequest;
}

/**
 * The JobSet with a resume request applied: suspend=false and each named rjob's pod template
 * scheduling fields replaced by the request's (fields the request leaves out are kept).
 */
export function applyResume(js: JobSet, request: ResumeRequest): JobSet {
  const patches = request.podTemplates ?? {};
  return {
    ...js,
    spec: {
      ...js.spec,
      suspend: false,
      replicatedJobs: js.spec.replicatedJobs.map((rjob) => {
        const patch = patches[rjob.name];
        if (!patch) return rjob;
        const pod = rjob.template.spec.template;
        return {
          ...rjob,
          template: {
            ...rjob.template,
            spec: {
              ...rjob.template.spec,
              template: {
                ...pod,
                metadata: {
                  ...pod.metadata,
                  ...(patch.labels ? { labels: patch.labels } : {}),
                  ...(patch.annotations ? { annotations: patch.annotations } : {}),
                },
                spec: {
                  ...pod.spec!,
                  ...(patch.nodeSelector ? { nodeSelector: patch.nodeSelector } : {}),
                  ...(patch.tolerations ? { tolerations: patch.tolerations } : {}),
                  ...(patch.schedulingGates ? { schedulingGates: patch.schedulingGates } : {}),
                },
              },
            },
          },
        };
      }),
    },
  };
}
