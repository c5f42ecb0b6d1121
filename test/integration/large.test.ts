// Issue 12 item 4: a large JobSet stays inside Temporal's limits. One JobSet of 300 single-pod
// Jobs is created, restarted once (Job 0 fails in the first attempt) and completed; every payload
// in its history (observations, activity inputs, results, continue-as-new inputs) stays under
// Temporal's 256 KiB warning threshold and every run under 10,000 events. Before the compact wire
// format, one observation of these 300 Jobs alone was about 300 KB. The 5,000-Job figures are
// measured by `npm run bench -- --only large`.
import { historyFigures } from '../../bench/history.js';
import { finalStatus, jobSetIn, jobSetSuite, podTemplate, startJobSet, type SuiteContext } from './helpers/jobset.js';

const taskQueue = 'jobset-large';
let ctx: SuiteContext;
jobSetSuite('large', taskQueue, (c) => (ctx = c));

test('issue 12 item 4: 300 Jobs created, restarted once and completed, every payload under 256 KiB', async () => {
  const replicas = 300;
  const js = jobSetIn(ctx.namespace, {
    metadata: { name: 'large' },
    spec: {
      failurePolicy: { maxRestarts: 1 },
      replicatedJobs: [
        {
          name: 'w',
          replicas,
          template: {
            spec: {
              backoffLimit: 0,
              template: podTemplate({ 'kwok-sim/run-duration': '2s', 'kwok-sim/fail-job-indexes': '0', 'kwok-sim/fail-restart-attempts': '0' }),
            },
          },
        },
      ],
    },
  });
  const handle = await startJobSet(ctx.env, taskQueue, js);
  const status = await finalStatus(handle);
  expect(status.terminalState).toBe('Completed');
  expect(status.restarts).toBe(1);
  expect(status.replicatedJobsStatus[0]?.succeeded).toBe(replicas);

  const figures = await historyFigures(ctx.env.client, handle.workflowId, handle.firstExecutionRunId);
  console.log(`large JobSet of ${replicas} Jobs: ${JSON.stringify(figures)}`);
  expect([figures.maxPayloadBytes, figures.maxPayloadWhere]).toEqual([expect.any(Number), expect.any(String)]);
  expect(figures.maxPayloadBytes).toBeLessThan(256 * 1024);
  expect(figures.maxEventsPerRun).toBeLessThan(10_000);
}, 600_000); // the Job controller creates 600 pods at its default 20 requests/s
