// How the CLI shows JobSets: kubectl-style tables, the JobSet object with its status as JSON or
// YAML, `kind/name`, the `describe` page, and one-line progress for `watch` and the demo.
import type { V1Job } from '@kubernetes/client-node';
import { stringify } from 'yaml';

import { API_VERSION, GROUP, KIND, Label } from '../api/constants.js';
import type { JobSet, JobSetStatus } from '../api/schema.js';
import type { JobSetInfo } from '../client/options.js';
import { jobSetState } from '../core/state.js';
import { humanDuration } from './duration.js';

export const outputFormats = ['table', 'wide', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** The JobSet object as the API would return it: apiVersion, kind, metadata, spec, status. */
export function jobSetObject(info: Pick<JobSetInfo, 'jobSet' | 'status'>): JobSet {
  return { ...info.jobSet, apiVersion: API_VERSION, kind: KIND, status: info.status };
}

/** `jobset.jobset.x-k8s.io/NAME`, as `kubectl get -o name` prints it. */
export const resourceName = (name: string) => `${KIND.toLowerCase()}.${GROUP}/${name}`;

/** Left-aligned columns separated by three spaces, as kubectl prints them. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('   ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

const conditionStatus = (status: JobSetStatus, type: string) => status.conditions.find((c) => c.type === type)?.status ?? '';

/** Totals over the replicated jobs: `ready/active/succeeded/failed` of all child Jobs. */
function totals(info: JobSetInfo) {
  const replicas = info.jobSet.spec.replicatedJobs.reduce((n, r) => n + r.replicas, 0);
  const sum = (k: 'ready' | 'active' | 'succeeded' | 'failed') => info.status.replicatedJobsStatus.reduce((n, r) => n + r[k], 0);
  return { replicas, ready: sum('ready'), active: sum('active'), succeeded: sum('succeeded'), failed: sum('failed') };
}

/** Renders `get`/`list` output. `single` prints one object rather than a List for json/yaml. */
export function renderInfos(
  infos: readonly JobSetInfo[],
  format: OutputFormat,
  options: { allNamespaces?: boolean; single?: boolean; now?: Date } = {},
): string {
  const now = options.now ?? new Date();
  switch (format) {
    case 'json':
    case 'yaml': {
      const objects = infos.map(jobSetObject);
      const value = options.single && objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects };
      return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value, { lineWidth: 0 });
    }
    case 'name':
      return infos.map((i) => `${resourceName(i.jobSet.metadata.name ?? '')}\n`).join('');
    case 'table':
    case 'wide': {
      const wide = format === 'wide';
      const header = [
        ...(options.allNamespaces ? ['NAMESPACE'] : []),
        'NAME',
        'STATE',
        'RESTARTS',
        'COMPLETED',
        'SUSPENDED',
        'AGE',
        ...(wide ? ['TERMINALSTATE', 'JOBS', 'READY', 'SUCCEEDED', 'FAILED', 'WORKFLOW'] : []),
      ];
      const rows = infos.map((i) => {
        const t = totals(i);
        return [
          ...(options.allNamespaces ? [i.jobSet.metadata.namespace ?? ''] : []),
          i.jobSet.metadata.name ?? '',
          i.state,
          String(i.status.restarts),
          conditionStatus(i.status, 'Completed'),
          String(i.jobSet.spec.suspend ?? false),
          humanDuration(now.getTime() - i.createdAt.getTime()),
          ...(wide ? [i.status.terminalState || '<none>', String(t.replicas), String(t.ready), String(t.succeeded), String(t.failed), i.workflowId] : []),
        ];
      });
      return table(header, rows);
    }
  }
}

/** Per replicated job: `leader 1/1 ready, 0 succeeded, 0 failed`. */
export function replicatedJobsSummary(jobSet: JobSet, status: JobSetStatus): string {
  return jobSet.spec.replicatedJobs
    .map((r) => {
      const s = status.replicatedJobsStatus.find((x) => x.name === r.name);
      const parts = [`${s?.ready ?? 0}/${r.replicas} ready`, `${s?.succeeded ?? 0} succeeded`];
      if (s?.failed) parts.push(`${s.failed} failed`);
      if (s?.suspended) parts.push(`${s.suspended} suspended`);
      return `${r.name} ${parts.join(', ')}`;
    })
    .join(' | ');
}

/**
 * Progress lines for a new status: one state line, plus one line per condition that changed
 * since `previous` (what happened: a restart, the failure reason, completion).
 */
export function progressLines(jobSet: JobSet, status: JobSetStatus, previous: JobSetStatus | undefined, now = new Date()): string[] {
  const time = now.toISOString().slice(11, 19);
  const name = `${jobSet.metadata.namespace ?? 'default'}/${jobSet.metadata.name ?? ''}`;
  const lines = [`${time}  ${name}  ${jobSetState(jobSet, status).padEnd(10)}  restarts ${status.restarts}  ${replicatedJobsSummary(jobSet, status)}`];
  for (const c of status.conditions) {
    const before = previous?.conditions.find((p) => p.type === c.type);
    if (before && before.status === c.status && before.reason === c.reason && before.message === c.message) continue;
    lines.push(`          ${c.type}=${c.status} (${c.reason})${c.message ? `: ${c.message}` : ''}`);
  }
  return lines;
}

/** The final line of `watch`, `wait` and the demo: state, reason and restarts. */
export function finalLine(jobSet: JobSet, status: JobSetStatus): string {
  const state = jobSetState(jobSet, status);
  const condition = status.conditions.find((c) => c.type === state && c.status === 'True');
  const why = condition ? ` (${condition.reason}: ${condition.message})` : '';
  return `${resourceName(jobSet.metadata.name ?? '')} ${state}${why}, restarts ${status.restarts}`;
}

/** kubectl-describe layout: `Key:   value` lines and indented tables. */
export function renderDescribe(
  info: JobSetInfo,
  jobs: V1Job[] | { error: string },
  events: Array<{ type?: string; reason?: string; message?: string; age: string }> | { error: string },
  now = new Date(),
): string {
  const js = info.jobSet;
  const s = info.status;
  const kv = (key: string, value: string) => `${`${key}:`.padEnd(22)}${value}`;
  const map = (m?: Record<string, string>) =>
    m && Object.keys(m).length > 0
      ? Object.entries(m)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')
      : '<none>';
  const indent = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
  const maxRestarts = js.spec.failurePolicy?.maxRestarts ?? 0;
  const out = [
    kv('Name', js.metadata.name ?? ''),
    kv('Namespace', js.metadata.namespace ?? 'default'),
    kv('Labels', map(js.metadata.labels)),
    kv('Annotations', map(js.metadata.annotations)),
    kv('UID', js.metadata.uid ?? '<none>'),
    kv('Created', `${info.createdAt.toISOString()} (${humanDuration(now.getTime() - info.createdAt.getTime())} ago)`),
    kv('State', info.state),
    kv('Terminal State', s.terminalState || '<none>'),
    kv('Suspend', String(js.spec.suspend ?? false)),
    kv('Managed By', js.spec.managedBy ?? '<none>'),
    kv('Restarts', `${s.restarts} (${s.restartsCountTowardsMax} counted towards maxRestarts ${maxRestarts})`),
    kv('Workflow', `${info.workflowId} (run ${info.runId}, ${info.executionStatus})`),
    'Conditions:',
    s.conditions.length === 0
      ? '  <none>'
      : indent(
          table(
            ['TYPE', 'STATUS', 'REASON', 'LAST TRANSITION', 'MESSAGE'],
            s.conditions.map((c) => [c.type, c.status, c.reason, c.lastTransitionTime, c.message]),
          ),
        ),
    'Replicated Jobs:',
    indent(
      table(
        ['NAME', 'REPLICAS', 'READY', 'ACTIVE', 'SUCCEEDED', 'FAILED', 'SUSPENDED', 'JOB RESTARTS'],
        js.spec.replicatedJobs.map((r) => {
          const x = s.replicatedJobsStatus.find((y) => y.name === r.name);
          const restarts = (x?.jobRestarts ?? []).reduce((n, v) => n + v, 0);
          return [
            r.name,
            String(r.replicas),
            String(x?.ready ?? 0),
            String(x?.active ?? 0),
            String(x?.succeeded ?? 0),
            String(x?.failed ?? 0),
            String(x?.suspended ?? 0),
            String(restarts),
          ];
        }),
      ),
    ),
    'Jobs:',
  ];
  if ('error' in jobs) out.push(`  <unavailable: ${jobs.error}>`);
  else if (jobs.length === 0) out.push('  <none>');
  else {
    out.push(
      indent(
        table(
          ['NAME', 'RESTART ATTEMPT', 'COMPLETIONS', 'ACTIVE', 'FAILED', 'STATUS', 'AGE'],
          jobs.map((j) => {
            const done = j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
            const status = j.metadata?.deletionTimestamp ? 'Terminating' : (done ?? (j.spec?.suspend ? 'Suspended' : 'Running'));
            const created = j.metadata?.creationTimestamp ? new Date(j.metadata.creationTimestamp) : now;
            return [
              j.metadata?.name ?? '',
              j.metadata?.labels?.[Label.RestartAttempt] ?? '',
              `${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1}`,
              String(j.status?.active ?? 0),
              String(j.status?.failed ?? 0),
              status,
              humanDuration(now.getTime() - created.getTime()),
            ];
          }),
        ),
      ),
    );
  }
  out.push('Events:');
  if ('error' in events) out.push(`  <unavailable: ${events.error}>`);
  else if (events.length === 0) out.push('  <none>');
  else
    out.push(
      indent(
        table(
          ['TYPE', 'REASON', 'AGE', 'MESSAGE'],
          events.map((e) => [e.type ?? '', e.reason ?? '', e.age, e.message ?? '']),
        ),
      ),
    );
  return `${out.join('\n')}\n`;
}
