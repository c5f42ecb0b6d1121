// Requests that change a running JobSet (the workflow's `suspend` and `resume` Updates).
// Upstream lets a suspended JobSet's pod templates change only in their scheduling fields
// (labels, annotations, nodeSelector, tolerations, schedulingGates: the Kueue contract, §2.4);
// a resume request may carry exactly those, per replicated job, and nothing else.
import { z } from 'zod';

import { issuesFromZod, JobSetValidationError } from './errors.js';
import type { JobSet } from './schema.js';

const stringMap = z.record(z.string(), z.string());

export const podTemplatePatchSchema = z.strictObject({
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  nodeSelector: stringMap.optional(),
  tolerations: z.array(z.looseObject({ key: z.string().optional(), operator: z.string().optional() })).optional(),
  schedulingGates: z.array(z.strictObject({ name: z.string().min(1) })).optional(),
});
export type PodTemplatePatch = z.output<typeof podTemplatePatchSchema>;

export const suspendRequestSchema = z.strictObject({}).default({});
export type SuspendRequest = z.input<typeof suspendRequestSchema>;

export const resumeRequestSchema = z
  .strictObject({
    /** Pod-template changes to apply before resuming, by replicated job name. */
    podTemplates: z.record(z.string(), podTemplatePatchSchema).optional(),
  })
  .default({});
export type ResumeRequest = z.input<typeof resumeRequestSchema>;

/** Validates a resume request against the JobSet; throws JobSetValidationError naming the field. */
export function parseResumeRequest(js: JobSet, input: unknown): z.output<typeof resumeRequestSchema> {
  const parsed = resumeRequestSchema.safeParse(input);
  if (!parsed.success) throw new JobSetValidationError(issuesFromZod(parsed.error), { subject: 'resume request' });
  const names = new Set(js.spec.replicatedJobs.map((r) => r.name));
  const unknown = Object.keys(parsed.data.podTemplates ?? {}).filter((n) => !names.has(n));
  if (unknown.length > 0) {
    throw new JobSetValidationError(
      unknown.map((n) => ({ path: `podTemplates[${n}]`, message: `replicatedJob "${n}" is not in spec.replicatedJobs` })),
      { subject: 'resume request' },
    );
  }
  return parsed.data;
}

export function parseSuspendRequest(input: unknown): z.output<typeof suspendRequestSchema> {
  const parsed = suspendRequestSchema.safeParse(input);
  if (!parsed.success) throw new JobSetValidationError(issuesFromZod(parsed.error), { subject: 'suspend request' });
  return parsed.data;
}

/**
 * The JobSet with a resume request applied: suspend=false and each named rjob's pod template
 * scheduling fields replaced by the request's (fields the request leaves out are kept).
 */
export function applyResume(js: JobSet, request: z.output<typeof resumeRequestSchema>): JobSet {
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
