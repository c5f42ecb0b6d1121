// Fault injection for the resilience tests: a private Temporal dev server that can be stopped and
// started again on the same state file, a restart of the shared cluster's kube-apiserver process,
// and a ledger of every child Job the API server ever reported (across watch reconnects).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { V1Job } from '@kubernetes/client-node';

import { Label } from '../../../src/api/constants.js';
import { eventually, kube, sleep } from './kube.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * A Temporal dev server of our own (never the shared one on 7233): the CLI of the global setup,
 * the project's search attributes, a state file in `dbFile`, fixed ports so that a restart comes
 * back at the same address.
 */
export class DevServer {
  private child: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly address: string,
    private readonly args: string[],
    private readonly cli: string,
  ) {}

  static async create(dbFile: string): Promise<DevServer> {
    const cli = process.env.TEMPORAL_CLI_PATH;
    if (!cli) throw new Error('TEMPORAL_CLI_PATH is not set: run the resilience tests through jest (global setup)');
    const [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    const args = [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--headless',
      '--http-port',
      String(httpPort),
      '--metrics-port',
      String(metricsPort),
      '--db-filename',
      dbFile,
      '--log-level',
      'error',
      '--search-attribute',
      'JobSetNamespace=Keyword',
      '--search-attribute',
      'JobSetName=Keyword',
      '--search-attribute',
      'JobSetState=Keyword',
      '--search-attribute',
      'JobSetRestarts=Int',
    ];
    return new DevServer(`127.0.0.1:${port}`, args, cli);
  }

  /** Starts the server and waits until it is SERVING. */
  async start(): Promise<void> {
    const child = spawn(this.cli, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => (this.log += String(d)));
    child.stderr?.on('data', (d) => (this.log += String(d)));
    this.child = child;
    await eventually(
      `the dev server on ${this.address} to be SERVING`,
      async () => {
        if (child.exitCode !== null) throw new Error(`the dev server exited (${child.exitCode}): ${this.log.slice(-2000)}`);
        const { stdout } = await run(this.cli, ['operator', 'cluster', 'health', '--address', this.address]);
        return stdout.includes('SERVING') ? true : undefined;
      },
      60_000,
    );
  }

  /** SIGTERM, as `temporal.sh down` does; resolves once the process has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited(child);
    clearTimeout(timer);
  }

  output(): string {
    return this.log;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Restarts the shared cluster's kube-apiserver process: reads its command line from /proc,
 * SIGTERMs it, keeps it down for `downMs`, starts it again detached with the same arguments and
 * log file, records the new PID where cluster.sh keeps it, and waits for /readyz.
 * Returns how long the API server was unreachable (ms), for the test's message only.
 */
export async function restartKubeApiserver(downMs = 3_000): Promise<number> {
  const state = join(process.env.JOBSET_STATE_DIR ?? join(root, '.state'), 'cluster');
  const pidFile = join(state, 'pids', 'kube-apiserver');
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (argv[argv.length - 1] === '') argv.pop();
  const [binary, ...args] = argv as [string, ...string[]];
  if (!binary.endsWith('kube-apiserver')) throw new Error(`pid ${pid} is not kube-apiserver: ${binary}`);
  const kubectl = join(dirname(binary), 'kubectl');
  const kubeconfig = process.env.KUBECONFIG ?? join(state, 'kubeconfig');

  const down = Date.now();
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await sleep(100);
  }
  await sleep(downMs);

  const log = openSync(join(state, 'logs', 'kube-apiserver.log'), 'a');
  try {
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    if (!child.pid) throw new Error('kube-apiserver did not start');
    writeFileSync(pidFile, `${child.pid}\n`);
  } finally {
    closeSync(log);
  }
  await eventually(
    'kube-apiserver /readyz after its restart',
    async () => {
      const { stdout } = await run(kubectl, ['--kubeconfig', kubeconfig, 'get', '--raw', '/readyz']);
      return stdout.trim() === 'ok' ? true : undefined;
    },
    120_000,
  );
  return Date.now() - down;
}

/** One child Job as the API server reported it. */
export interface JobRecord {
  name: string;
  uid: string;
  jobSet: string;
  attempt: number;
}

/**
 * Every child Job (any JobSet) of a namespace that the API server reported, from a watch that is
 * opened again (list + watch) whenever it ends, e.g. while the API server restarts.
 */
export class JobLedger {
  /** `<name>@<attempt>` -> the UIDs seen under it: more than one means a Job was created twice. */
  readonly created = new Map<string, Set<string>>();
  readonly records = new Map<string, JobRecord>();
  reconnects = 0;
  private stopped = false;
  private abort: AbortController | undefined;

  private constructor(readonly namespace: string) {}

  static async start(namespace: string): Promise<JobLedger> {
    const ledger = new JobLedger(namespace);
    await ledger.open();
    return ledger;
  }

  private async open(): Promise<void> {
    this.abort = await kube().watch.watch(
      `/apis/batch/v1/namespaces/${this.namespace}/jobs`,
      { labelSelector: Label.JobSetName },
      (phase: string, job: V1Job) => {
        if (phase === 'BOOKMARK' || !job?.metadata?.uid) return;
        const rec: JobRecord = {
          name: job.metadata.name ?? '',
          uid: job.metadata.uid,
          jobSet: job.metadata.labels?.[Label.JobSetName] ?? '',
          attempt: Number(job.metadata.labels?.[Label.RestartAttempt]),
        };
        this.records.set(rec.uid, rec);
        const key = `${rec.name}@${rec.attempt}`;
        const uids = this.created.get(key) ?? new Set<string>();
        uids.add(rec.uid);
        this.created.set(key, uids);
      },
      () => {
        if (this.stopped) return;
        this.reconnects++;
        void this.reopen();
      },
    );
  }

  private async reopen(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.open();
        return;
      } catch {
        await sleep(500);
      }
    }
  }

  /** Names created more than once within one restart attempt (with their UID counts). */
  duplicates(): string[] {
    return [...this.created.entries()].filter(([, uids]) => uids.size > 1).map(([key, uids]) => `${key} x${uids.size}`);
  }

  /** The UIDs the ledger saw for one Job name in one attempt. */
  uidsOf(name: string, attempt: number): string[] {
    return [...(this.created.get(`${name}@${attempt}`) ?? [])];
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }
}
