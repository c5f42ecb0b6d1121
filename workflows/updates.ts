// The suspend and resume Updates of a JobSet run: their validators (run synchronously, before the
// Update is accepted: a refused request leaves no trace in history) and their handlers, which hand
// the spec change to the run and answer with the status once a pass has acted on it.
// Deterministic code only: bundled into the workflow sandbox with workflows/jobset.ts.
import { setHandler } from '@temporalio/workflow';

import type { JobSet, JobSetStatus } from '../src/api/schema.js';
import { applyResume, parseResumeRequest, parseSuspendRequest, type ResumeRequest, type SuspendRequest } from '../src/api/updates.js';
import { isTerminal } from '../src/core/decide.js';
import { resumeUpdate, suspendUpdate } from './contract.js';

/** What the Updates need from their run. */
export interface SpecUpdates {
  /** The JobSet as admitted; undefined before admission (a resume is then checked for its shape only). */
  admittedJobSet(): JobSet | undefined;
  status(): JobSetStatus;
  /** `<namespace>/<name>`, for the refusals. */
  key(): string;
  /**
   * Applies the change `makeChange` returns (it may throw: the Update then fails) and resolves
   * with the status once a pass has acted on it. The handlers return this promise as it is, so
   * an Update completes in the same turn as when the handlers did the work themselves.
   */
  apply(makeChange: () => (j: JobSet) => JobSet): Promise<JobSetStatus>;
}

export function handleSpecUpdates(run: SpecUpdates): void {
  const refuseFinished = (verb: string) => {
    const status = run.status();
    if (isTerminal(status)) throw new Error(`JobSet ${run.key()} is finished (${status.terminalState}); it cannot be ${verb}`);
  };
  setHandler(suspendUpdate, () => run.apply(() => (j) => ({ ...j, spec: { ...j.spec, suspend: true } })), {
    validator: (request: SuspendRequest) => {
      parseSuspendRequest(request);
      refuseFinished('suspended');
    },
  });
  setHandler(
    resumeUpdate,
    (request: ResumeRequest) =>
      run.apply(() => {
        const parsed = parseResumeRequest(run.admittedJobSet(), request);
        return (j) => applyResume(j, parsed);
      }),
    {
      validator: (request: ResumeRequest) => {
        // Before admission only its shape: the replicated jobs' names are not known yet.
        parseResumeRequest(run.admittedJobSet(), request);
        refuseFinished('resumed');
      },
    },
  );
}
