// What a JobSet's workflow leaves in Temporal history: events per run and the size of every
// payload, following the chain of runs (continue-as-new) from the first. Temporal refuses a
// payload over 2 MB and warns above 256 KiB; a run's history should stay far from its 50 K-event
// limit. Used by the large-JobSet benchmark and its integration test.
import type { Client } from '@temporalio/client';

export interface HistoryFigures {
  runs: number;
  /** Events of the longest run. */
  maxEventsPerRun: number;
  /** The largest payload list of one event (bytes of data and metadata), and where it was. */
  maxPayloadBytes: number;
  maxPayloadWhere: string;
  /** Total payload bytes over all runs. */
  totalPayloadBytes: number;
}

type Payload = { data?: Uint8Array | null; metadata?: Record<string, Uint8Array> | null };

/** Sum of the bytes of a payload list (data and metadata), as Temporal measures a blob. */
function payloadsBytes(payloads: readonly Payload[]): number {
  let n = 0;
  for (const p of payloads) {
    n += p.data?.length ?? 0;
    for (const [k, v] of Object.entries(p.metadata ?? {})) n += k.length + (v?.length ?? 0);
  }
  return n;
}

/** Every `payloads` list anywhere in an event (inputs, results, failure details, markers, ...). */
function* payloadLists(value: unknown, path: string): Generator<{ path: string; payloads: Payload[] }> {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'payloads' && Array.isArray(v)) yield { path, payloads: v as Payload[] };
    else if (v && typeof v === 'object') yield* payloadLists(v, path ? `${path}.${k}` : k);
  }
}

export async function historyFigures(client: Client, workflowId: string, firstRunId: string): Promise<HistoryFigures> {
  const figures: HistoryFigures = { runs: 0, maxEventsPerRun: 0, maxPayloadBytes: 0, maxPayloadWhere: '', totalPayloadBytes: 0 };
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    figures.runs++;
    figures.maxEventsPerRun = Math.max(figures.maxEventsPerRun, events.length);
    let next: string | undefined;
    for (const event of events) {
      for (const { path, payloads } of payloadLists(event, '')) {
        const bytes = payloadsBytes(payloads);
        figures.totalPayloadBytes += bytes;
        if (bytes > figures.maxPayloadBytes) {
          figures.maxPayloadBytes = bytes;
          const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
          figures.maxPayloadWhere = `${path}${activity ? ` (${activity})` : ''}, run ${figures.runs}`;
        }
      }
      next = event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? next;
    }
    runId = next;
  }
  return figures;
}
