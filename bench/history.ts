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

/**
 * The events of one run, a few at a time: a page of a large JobSet's history can exceed the
 * client's 4 MB gRPC message limit, which is exactly what this measures.
 */
async function* runEvents(client: Client, workflowId: string, runId: string) {
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 20,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    yield* page.history?.events ?? [];
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken);
}

export async function historyFigures(client: Client, workflowId: string, firstRunId: string): Promise<HistoryFigures> {
  const figures: HistoryFigures = { runs: 0, maxEventsPerRun: 0, maxPayloadBytes: 0, maxPayloadWhere: '', totalPayloadBytes: 0 };
  let runId: string | undefined = firstRunId;
  while (runId) {
    figures.runs++;
    let next: string | undefined;
    let eventsInRun = 0;
    for await (const event of runEvents(client, workflowId, runId)) {
      eventsInRun++;
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
    figures.maxEventsPerRun = Math.max(figures.maxEventsPerRun, eventsInRun);
    runId = next;
  }
  return figures;
}
