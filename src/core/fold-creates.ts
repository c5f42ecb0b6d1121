// A pass that creates Jobs usually also ensures the headless Service (and PVCs) first: a new
// JobSet's first pass, or one whose Service was deleted by hand. Each action is an activity, and
// each activity a round trip through the Temporal server, so the Service and PVCs travel with the
// CreateJobs action as flags and one activity creates them in upstream's order (Service, PVCs,
// then Jobs; upstream's reconcile does the same in one pass). Issue 13 item 2.
import type { Action } from './types.js';

/**
 * The same actions with EnsureService / EnsurePVCs folded into the CreateJobs action that
 * follows them. Without a CreateJobs action (nothing to create, e.g. while suspended with all
 * Jobs present) the actions are returned unchanged.
 */
export function foldCreates(actions: readonly Action[]): Action[] {
  const create = actions.findIndex((a) => a.type === 'CreateJobs');
  if (create < 0) return [...actions];
  const service = actions.some((a, i) => i < create && a.type === 'EnsureService');
  const pvcs = actions.some((a, i) => i < create && a.type === 'EnsurePVCs');
  const out: Action[] = [];
  for (const [i, a] of actions.entries()) {
    if (i < create && (a.type === 'EnsureService' || a.type === 'EnsurePVCs')) continue;
    if (i === create && a.type === 'CreateJobs')
      out.push({ ...a, ...(service ? { ensureService: true as const } : {}), ...(pvcs ? { ensurePVCs: true as const } : {}) });
    else out.push(a);
  }
  return out;
}
