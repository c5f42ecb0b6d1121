// Metrics and the health endpoint: which events count as completed/failed/restarted, the activity
// interceptor, and the HTTP server's three paths.
import type { Registry } from 'prom-client';

import { startHttpServer } from '../../../src/net/http.js';
import { WorkerMetrics } from '../../../worker/metrics.js';

const value = async (registry: Registry, name: string, labels: Record<string, string>) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const v = (metric?.values as Array<{ labels: Record<string, unknown>; value: number; metricName?: string }> | undefined)?.find(
    (x) =>
      Object.entries(labels).every(([k, l]) => x.labels[k] === l) && (x.metricName === undefined || x.metricName === name || x.metricName.endsWith('_count')),
  );
  return v?.value;
};

it('counts completion, failure (every Failed reason) and global restarts per namespace, nothing else', async () => {
  const m = new WorkerMetrics();
  m.jobSetEvents('a', [
    { type: 'Warning', reason: 'RestartJobSetFailurePolicyAction', message: '' },
    { type: 'Warning', reason: 'DefaultFailurePolicy', message: '' },
  ]);
  m.jobSetEvents('a', [{ type: 'Warning', reason: 'RestartJobSetAndIgnoreMaxRestartsFailurePolicyAction', message: '' }]);
  m.jobSetEvents('a', [{ type: 'Warning', reason: 'RestartJobFailurePolicyAction', message: '' }]);
  m.jobSetEvents('a', [
    { type: 'Warning', reason: 'ReachedMaxRestarts', message: '' },
    { type: 'Normal', reason: 'JobSetFailed', message: '' },
  ]);
  m.jobSetEvents('b', [{ type: 'Warning', reason: 'FailedJobs', message: '' }]);
  m.jobSetEvents('b', [{ type: 'Warning', reason: 'FailJobSetFailurePolicyAction', message: '' }]);
  m.jobSetEvents('b', [
    { type: 'Normal', reason: 'AllJobsCompleted', message: '' },
    { type: 'Normal', reason: 'JobSetCompleted', message: '' },
  ]);
  m.jobSetEvents('b', [{ type: 'Normal', reason: 'SuspendedJobs', message: '' }]);
  expect(await value(m.registry, 'jobset_restarts_total', { namespace: 'a' })).toBe(2);
  expect(await value(m.registry, 'jobset_failed_total', { namespace: 'a' })).toBe(1);
  expect(await value(m.registry, 'jobset_failed_total', { namespace: 'b' })).toBe(2);
  expect(await value(m.registry, 'jobset_completed_total', { namespace: 'b' })).toBe(1);
  expect(await value(m.registry, 'jobset_completed_total', { namespace: 'a' })).toBeUndefined();
});

it('the activity interceptor times each attempt by activity type and outcome', async () => {
  const m = new WorkerMetrics();
  const inbound = (type: string) => m.activityInterceptor()({ info: { activityType: type } } as never).inbound!;
  await inbound('createJobs').execute!({ args: [], headers: {} }, async () => 'ok');
  await expect(inbound('createJobs').execute!({ args: [], headers: {} }, async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
  const text = await m.registry.metrics();
  expect(text).toContain('jobset_activity_duration_seconds_count{activity_type="createJobs",outcome="success"} 1');
  expect(text).toContain('jobset_activity_duration_seconds_count{activity_type="createJobs",outcome="failure"} 1');
});

it('serves /metrics, /healthz and /readyz, and nothing else', async () => {
  const m = new WorkerMetrics();
  m.completed.inc({ namespace: 'x' });
  let ready = false;
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    registry: m.registry,
    healthy: () => true,
    ready: () => ready,
  });
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  try {
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    expect(metrics.body).toContain('jobset_completed_total{namespace="x"} 1');
    expect(metrics.body).toContain('process_cpu_user_seconds_total');
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get('/readyz')).toMatchObject({ status: 503, body: 'not ready\n' });
    ready = true;
    expect(await get('/readyz')).toMatchObject({ status: 200 });
    expect((await get('/other')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status).toBe(405);
  } finally {
    await server.close();
  }
});

it('a probe that throws reads as not ready', async () => {
  const m = new WorkerMetrics();
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    registry: m.registry,
    healthy: () => {
      throw new Error('x');
    },
    ready: async () => true,
  });
  try {
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(503);
  } finally {
    await server.close();
  }
});
