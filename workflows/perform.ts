// One action of a pass, carried out by the activity that does it: the switch over the Action
// union ends in assertNever, so a new action that is not handled here does not compile.
// Deterministic code only: bundled into the workflow sandbox with workflows/jobset.ts.
import type { V1OwnerReference } from '@kubernetes/client-node';

import type { Written } from '../activities/jobset.js';
import type { JobSet, JobSetStatus } from '../src/api/schema.js';
import type { Action } from '../src/core/types.js';
import { encodeJobNames, encodeJobRefs } from '../src/core/wire.js';
import type { act } from './proxies.js';

/** What an action needs from its run, read when it is performed. */
export interface ActContext {
  /** The proxy for an act on `jobs` Jobs (an activity, or a local one for a small act). */
  actOn(jobs: number): typeof act;
  /** The JobSet and, when the bridge started the run, the owner reference of its resource. */
  target(): { jobSet: JobSet; owner?: V1OwnerReference };
  jobSet: JobSet;
  namespace: string;
  name: string;
  status: JobSetStatus;
}

export function perform(action: Action, run: ActContext): Promise<Written> {
  const { actOn, target, jobSet: js, namespace, name, status } = run;
  switch (action.type) {
    case 'EnsureService':
      return actOn(0).ensureService.executeWithOptions({ summary: 'ensure the headless Service' }, [target()]);
    case 'EnsurePVCs':
      return actOn(0).ensurePVCs.executeWithOptions({ summary: 'ensure the PVCs' }, [target()]);
    // Lists of Jobs travel as index ranges (src/core/wire.ts): 5,000 names would not fit a payload.
    case 'CreateJobs':
      return actOn(action.jobs.length).createJobs.executeWithOptions(
        {
          summary: `${action.ensureService ? 'Service, ' : ''}${action.ensurePVCs ? 'PVCs, ' : ''}create ${action.jobs.length} Job(s), restart attempt ${status.restarts}`,
        },
        [
          {
            ...target(),
            status,
            refs: encodeJobRefs(action.jobs),
            ...(action.ensureService ? { ensureService: true } : {}),
            ...(action.ensurePVCs ? { ensurePVCs: true } : {}),
          },
        ],
      );
    case 'DeleteJobs':
      return actOn(action.names.length).deleteJobs.executeWithOptions(
        { summary: `delete ${action.names.length} Job(s): ${action.names.slice(0, 3).join(', ')}${action.names.length > 3 ? ', ...' : ''}` },
        [
          {
            namespace,
            jobSetName: name,
            encoded: encodeJobNames(
              js,
              action.names.map((n) => ({ name: n })),
            ),
          },
        ],
      );
    case 'SuspendJobs':
      return actOn(action.names.length).suspendJobs.executeWithOptions({ summary: `suspend ${action.names.length} Job(s)` }, [
        {
          namespace,
          jobSetName: name,
          encoded: encodeJobNames(
            js,
            action.names.map((n) => ({ name: n })),
          ),
        },
      ]);
    case 'ResumeJobs':
      return actOn(action.jobs.length).resumeJobs.executeWithOptions({ summary: `resume ${action.jobs.length} Job(s)` }, [
        { ...target(), encoded: encodeJobNames(js, action.jobs) },
      ]);
    default:
      return assertNever(action);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled action ${JSON.stringify(x)}`);
}
