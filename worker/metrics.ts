// Prometheus metrics of the worker (and the counters the bridge shares). Label sets are bounded:
// a namespace, an activity type, an outcome; never a JobSet name, so the series count does not
// grow with the number of JobSets run.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { CancelledFailure } from '@temporalio/common';
import { Counter, Histogram, type Registry } from 'prom-client';

import type { ActivityMetrics } from '../activities/jobset.js';
import { GlobalRestartActions, Reason, RestartActionEvent } from '../src/api/constants.js';
import type { JobSetEvent } from '../src/core/types.js';
import { newRegistry } from '../src/net/registry.js';

/** Reasons of the `Failed` condition (docs/design.md §1.4): each is announced by one event. */
const failedReasons: ReadonlySet<string> = new Set([Reason.FailedJobs, Reason.FailJobSetFailurePolicyAction, Reason.ReachedMaxRestarts]);
/** Global restarts, the ones status.restarts counts (RestartJob restarts one Job, not the JobSet). */
const restartReasons: ReadonlySet<string> = new Set(GlobalRestartActions.map((action) => RestartActionEvent[action]));

/** Seconds; activities range from one API call to a watch of up to ten minutes. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600];

export class WorkerMetrics implements ActivityMetrics {
  readonly completed: Counter<'namespace'>;
  readonly failed: Counter<'namespace'>;
  readonly restarts: Counter<'namespace'>;
  readonly activityDuration: Histogram<'activity_type' | 'outcome'>;

  constructor(readonly registry: Registry = newRegistry()) {
    this.completed = new Counter({
      name: 'jobset_completed_total',
      help: 'JobSets that completed (condition Completed, reason AllJobsCompleted).',
      labelNames: ['namespace'],
      registers: [registry],
    });
    this.failed = new Counter({
      name: 'jobset_failed_total',
      help: 'JobSets that failed (condition Failed: FailedJobs, FailJobSetFailurePolicyAction or ReachedMaxRestarts).',
      labelNames: ['namespace'],
      registers: [registry],
    });
    this.restarts = new Counter({
      name: 'jobset_restarts_total',
      help: 'Global JobSet restarts (RestartJobSet and RestartJobSetAndIgnoreMaxRestarts failure-policy actions).',
      labelNames: ['namespace'],
      registers: [registry],
    });
    this.activityDuration = new Histogram({
      name: 'jobset_activity_duration_seconds',
      help: 'Duration of one activity attempt on this worker, by activity type and outcome (success, failure, cancelled).',
      labelNames: ['activity_type', 'outcome'],
      buckets: durationBuckets,
      registers: [registry],
    });
  }

  /** ActivityMetrics: counts the condition events of one successful emitEvents activity. */
  jobSetEvents(namespace: string, events: readonly JobSetEvent[]): void {
    for (const e of events) {
      if (e.reason === Reason.AllJobsCompleted) this.completed.inc({ namespace });
      else if (failedReasons.has(e.reason)) this.failed.inc({ namespace });
      else if (restartReasons.has(e.reason)) this.restarts.inc({ namespace });
    }
  }

  /** A worker activity interceptor timing every activity attempt. */
  activityInterceptor(): ActivityInterceptorsFactory {
    return (ctx) => ({
      inbound: {
        execute: async (input, next) => {
          const end = this.activityDuration.startTimer({ activity_type: ctx.info.activityType });
          try {
            const result = await next(input);
            end({ outcome: 'success' });
            return result;
          } catch (err) {
            end({ outcome: err instanceof CancelledFailure ? 'cancelled' : 'failure' });
            throw err;
          }
        },
      },
    });
  }
}
