// Helpers of the CLI end-to-end tests: the `jobset` command as a spawned process, and a worker in
// the test process on the shared dev server ($TEMPORAL_ADDRESS, started by the global setup) so
// that the spawned CLI processes reach the same Temporal.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';

import { createActivities } from '../../../activities/index.js';
import { kube, signallingChildCache } from '../../integration/helpers/kube.js';
import { workflowBundle } from '../../integration/helpers/temporal.js';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
export const address = () => process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/jobset.js ...args` in the repository and collects its output. */
export function jobset(args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<CliResult> {
  return run(process.execPath, [`${root}/bin/jobset.js`, ...args], options);
}

/** Runs a command and collects its output (stdin gets `input`, or nothing). */
export function run(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A task queue no other test file uses. */
export const uniqueTaskQueue = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

export interface TestWorker {
  client: Client;
  stop(): Promise<void>;
}

/** A JobSet worker in this process on `taskQueue` of the shared dev server, and a client for checks. */
export async function startWorker(taskQueue: string): Promise<TestWorker> {
  const native = await NativeConnection.connect({ address: address() });
  const connection = await Connection.connect({ address: address() });
  const client = new Client({ connection });
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(kube(), signallingChildCache(client.workflow)),
  });
  const running = worker.run();
  return {
    client,
    async stop() {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
    },
  };
}

/** Whether any workflow ever ran under the ID. */
export async function workflowExists(client: Client, id: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(id).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
