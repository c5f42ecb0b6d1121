import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { admitJobSet } from './src/api/parse.js';
import { parseJobSet } from './src/api/load.js';
import { jobSetWorkflow } from './workflows/jobset.js';
Runtime.install({ logger: new DefaultLogger('WARN') });
const N = Number(process.env.N ?? 300);
const variant = process.env.VARIANT ?? 'asis';
const bundle = await bundleWorkflowCode({
  workflowsPath: '/work/main/workflows/index.ts', logger: new DefaultLogger('WARN'),
  webpackConfigHook: (c) => { if (variant === 'nore2') { c.resolve = { ...c.resolve, alias: { ...(c.resolve?.alias as object), re2js: '/tmp/probe/re2stub.js' } }; } return c; },
});
let observing = 0;
const tq = `probe-${Date.now()}`;
const worker = await Worker.create({
  connection: await NativeConnection.connect({ address: '127.0.0.1:7233' }), taskQueue: tq, workflowBundle: bundle,
  maxConcurrentActivityTaskExecutions: 5000,
  activities: {
    admitJobSet: async (i: any) => { const v = admitJobSet(i.jobSet); return 'issues' in v ? { invalid: v.issues } : { jobSet: { ...v.jobSet, metadata: { ...v.jobSet.metadata, uid: i.uid } } }; },
    createJobs: async () => ({ resourceVersion: '5' }),
    writeStatus: async () => undefined, emitEvents: async () => undefined,
    observeChildren: async () => { observing++; await new Promise((r) => setTimeout(r, 600_000)); return { digest: 'x', compact: { serviceExists: true, runs: {}, others: [] } }; },
  } as any,
});
const running = worker.run();
const client = new Client({ connection: await Connection.connect({ address: '127.0.0.1:7233' }) });
const mem = () => { (globalThis as any).gc?.(); const m = process.memoryUsage(); return { heapMiB: +(m.heapUsed / 2 ** 20).toFixed(1), rssMiB: +(m.rss / 2 ** 20).toFixed(1) }; };
await new Promise((r) => setTimeout(r, 2000));
const before = mem();
const js = parseJobSet({ apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', metadata: { name: 'p', namespace: 'probe' }, spec: { replicatedJobs: [{ name: 'w', replicas: 1, template: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } } }] } });
const ids: string[] = [];
for (let i = 0; i < N; i += 50) await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, k) => { const id = `probe-${tq}-${i + k}`; ids.push(id); return client.workflow.start(jobSetWorkflow, { taskQueue: tq, workflowId: id, args: [{ jobSet: { ...js, metadata: { ...js.metadata, name: `p${i + k}` } } }] }); }));
while (observing < N) await new Promise((r) => setTimeout(r, 500));
await new Promise((r) => setTimeout(r, 3000));
const after = mem();
console.log(JSON.stringify({ variant, N, before, after, perWorkflowKiB: +(((after.heapMiB - before.heapMiB) * 1024) / N).toFixed(1), rssPerWorkflowKiB: +(((after.rssMiB - before.rssMiB) * 1024) / N).toFixed(1) }));
await Promise.all(ids.map((id) => client.workflow.getHandle(id).terminate('probe done').catch(() => undefined)));
worker.shutdown(); await running; process.exit(0);
