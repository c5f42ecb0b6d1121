// A recorded history rewritten as the SDK's core may write it: core ends a workflow task between
// a local activity's result and the code that runs after it when it must answer a query while that
// result is pending (it completes the task with the commands so far and asks for a new one). The
// result's marker then closes one task and the commands after it open the next. A workflow whose
// code after a local activity depends on which task it runs in (a `patched()` call there) cannot
// replay such a history.
// A CommonJS module whose exports Node's ESM loader cannot list: default import.
import proto from '@temporalio/proto';

type History = proto.temporal.api.history.v1.IHistory;
type Event = Record<string, unknown> & { eventId: number; eventType: number; eventTime?: unknown };

const { EventType } = proto.temporal.api.enums.v1;
const { History: HistoryMessage } = proto.temporal.api.history.v1;

/** Events a workflow task's completion writes (its commands), as opposed to what happens to the run. */
const COMMAND_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_MARKER_RECORDED,
  EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_TIMER_CANCELED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
]);

const isLocalActivityMarker = (e: Event) =>
  e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED &&
  (e.markerRecordedEventAttributes as { markerName?: string } | undefined)?.markerName === 'core_local_activity';

/** Renumbers every `...EventId` reference in an event's attributes (they point at earlier events). */
function renumber(value: unknown, ids: Map<number, number>): void {
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('EventId') && typeof v === 'number' && ids.has(v)) (value as Record<string, unknown>)[k] = ids.get(v);
    else renumber(v, ids);
  }
}

/**
 * The history with a workflow task ended after every local activity's result that is followed
 * by more commands of the same task. Returns the history unchanged (and `splits` 0) when there
 * is no such result.
 */
export function splitAfterLocalActivities(history: History): { history: History; splits: number } {
  const plain = HistoryMessage.toObject(HistoryMessage.fromObject(history), { longs: Number, enums: Number, defaults: false }) as { events: Event[] };
  const firstScheduled = plain.events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  const out: Event[] = [];
  const ids = new Map<number, number>();
  let splits = 0;
  plain.events.forEach((e, i) => {
    // References point at earlier events, already renumbered.
    renumber(e, ids);
    ids.set(e.eventId, out.length + 1);
    out.push({ ...e, eventId: out.length + 1 });
    const next = plain.events[i + 1];
    if (!isLocalActivityMarker(e) || !next || !COMMAND_EVENTS.has(next.eventType)) return;
    splits++;
    const scheduled = out.length + 1;
    const at = { eventTime: e.eventTime };
    out.push(
      {
        ...at,
        eventId: scheduled,
        eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        workflowTaskScheduledEventAttributes: { ...(firstScheduled?.workflowTaskScheduledEventAttributes as object), attempt: 1 },
      },
      {
        ...at,
        eventId: scheduled + 1,
        eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
        workflowTaskStartedEventAttributes: { scheduledEventId: scheduled, identity: 'split', requestId: `split-${splits}` },
      },
      {
        ...at,
        eventId: scheduled + 2,
        eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
        workflowTaskCompletedEventAttributes: { scheduledEventId: scheduled, startedEventId: scheduled + 1, identity: 'split' },
      },
    );
  });
  return { history: HistoryMessage.fromObject({ events: out }), splits };
}
