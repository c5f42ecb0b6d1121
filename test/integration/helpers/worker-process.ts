// The worker as a separate OS process (`jobset worker`, the built CLI), so tests can SIGKILL it like
// a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  output: () => string;
}

export function spawnWorker(env: { address: string; taskQueue: string }): WorkerProcess {
  const child = spawn(process.execPath, ['bin/jobset.js', 'worker'], {
    cwd: root,
    env: { ...process.env, TEMPORAL_ADDRESS: env.address, JOBSET_TASK_QUEUE: env.taskQueue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, exited, output: () => out };
}

/** Stops every worker process still running (SIGTERM, then waits for it to exit). */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const w of workers) {
    if (w.child.exitCode === null && w.child.signalCode === null) {
      w.child.kill('SIGTERM');
      await w.exited;
    }
  }
}
