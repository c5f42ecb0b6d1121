// `jobset controller`: the bridge and a worker in one process, as the upstream controller is one
// process. A JobSet applied with kubectl runs to Completed with nothing else running on its task
// queue; the one HTTP endpoint reports both halves; SIGTERM stops it cleanly.
import { spawn } from 'node:child_process';

import { Client, Connection } from '@temporalio/client';

import { freePort } from '../integration/helpers/faults.js';
import { createTestNamespace, deleteTestNamespace, eventually } from '../integration/helpers/kube.js';
import { applyJobSet, deleteAllJobSets, httpGet, installCrd, kubectlOk, sample, smallJobSet } from './helpers/bridge.js';
import { address, root, uniqueTaskQueue } from './helpers/cli.js';

const taskQueue = uniqueTaskQueue('e2e-controller');
let namespace: string;
let connection: Connection;

beforeAll(async () => {
  await installCrd();
  namespace = await createTestNamespace('controller');
  connection = await Connection.connect({ address: address() });
});

afterAll(async () => {
  await connection?.close();
  if (namespace) await deleteTestNamespace(namespace);
});

test('one controller process runs a kubectl-applied JobSet to Completed and serves both halves on one endpoint', async () => {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [`${root}/bin/jobset.js`, 'controller', '--address', address(), '--task-queue', taskQueue, '-n', namespace, '--http-port', String(port)],
    {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await eventually(
      `the controller to be ready:\n${output}`,
      async () => ((await httpGet(port, '/readyz').catch(() => ({ status: 0 }))).status === 200 ? true : undefined),
      120_000,
    );
    await applyJobSet(namespace, smallJobSet('ctl', { replicas: 2 }));
    await kubectlOk(['wait', '--for=condition=Completed', 'jobset/ctl', '-n', namespace, '--timeout=120s']);

    // The completion is counted when its event is emitted, just after the status that kubectl saw.
    const completed = `jobset_completed_total{namespace="${namespace}"}`;
    const metrics = await eventually(`${completed} in /metrics`, async () => {
      const body = (await httpGet(port, '/metrics')).body;
      return sample(body, completed) === 1 ? body : undefined;
    });
    expect(sample(metrics, 'jobset_bridge_actions_total{action="start"}')).toBe(1);
    expect(output).toContain(`jobset worker: task queue ${taskQueue}`);
    expect(output).toContain('jobset controller: bridge: task queue');
    // The bridge shares the worker's connection and starts the workflow eagerly: the server hands
    // its first workflow task back in the start's answer, to the worker in this process.
    expect(output).toContain(`${namespace}/ctl: started workflow`);
    expect(output).toContain('eager: its first task runs here');
    await deleteAllJobSets(new Client({ connection }), namespace);
  } finally {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
  expect(output).toContain('jobset worker: stopped');
});
