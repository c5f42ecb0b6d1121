// Issue 12 item 7, the payload codec, on the real dev server and the real cluster: a worker started
// as `jobset worker --codec-key-file` (its own process, with its HTTP port) and an SDK client with
// the same key run a JobSet whose pod template carries a secret-looking env value. Temporal's raw
// history must hold only ciphertext; the key holders read the spec back; a process without the key
// (or with another one) gets an error naming the key; and the codec server the Web UI calls, on the
// worker and as `jobset codec-server`, turns the stored payload back into the plaintext.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import type { JobSet, JobSetInput } from '../../src/api/schema.js';
import { JobSetClient, PayloadEncryptedError, PayloadKeyMismatchError } from '../../src/client/index.js';
import { codecKeyId } from '../../src/codec/key.js';
import { jobset, root, run } from '../e2e/helpers/cli.js';
import { childJobs, podTemplate } from './helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually } from './helpers/kube.js';
import { createTemporalEnv } from './helpers/temporal.js';

const taskQueue = 'codec';
const ui = 'http://127.0.0.1:8233';
const key = randomBytes(32);
const wrongKey = randomBytes(32);
/** Looks like a credential, and appears nowhere but in the spec. */
const secret = `s3cr3t-${randomBytes(12).toString('hex')}`;
const envName = 'DB_PASSWORD_CODEC_TEST';

let env: TestWorkflowEnvironment;
let namespace: string;
let dir: string;
let keyFile: string;
let wrongKeyFile: string;
let worker: { child: ChildProcess; output: () => string; exited: Promise<unknown> } | undefined;
let workerHttp: string;
let client: JobSetClient;
const name = 'secret-env';
let workflowId: string;

/** A port nobody listens on now (the worker's HTTP server binds it next). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Starts `node bin/jobset.js ...args` and keeps it running; stops it with SIGTERM. */
function start(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [`${root}/bin/jobset.js`, ...args], {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<unknown>((resolve) => child.on('exit', resolve));
  return { child, output: () => out, exited };
}

async function stop(p: { child: ChildProcess; exited: Promise<unknown> } | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  await p.exited;
}

function jobSetInput(name: string, runFor = '3s'): JobSetInput {
  const t = podTemplate({ 'kwok-sim/run-duration': runFor });
  return {
    metadata: { name, namespace },
    spec: {
      replicatedJobs: [
        {
          name: 'w',
          replicas: 2,
          template: {
            spec: {
              backoffLimit: 0,
              template: { ...t, spec: { ...t.spec, containers: [{ name: 'main', image: 'busybox', env: [{ name: envName, value: secret }] }] } },
            },
          },
        },
      ],
    },
  };
}

/** Every event of the workflow's latest run, read raw: no codec, no converter. */
async function rawHistory(workflowId: string): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await env.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId }, nextPageToken });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/** Where `needle` occurs in `value` (any string or byte field, at any depth), as paths. */
function occurrences(value: unknown, needle: string, path = '$'): string[] {
  if (value instanceof Uint8Array) return Buffer.from(value).includes(needle) ? [path] : [];
  if (typeof value === 'string') return value.includes(needle) ? [path] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => occurrences(v, needle, `${path}.${k}`));
}

/** Every payload in `value` (objects with bytes `data` and a `metadata` map), with its encoding. */
function payloadsIn(value: unknown, path = '$'): Array<{ path: string; encoding: string }> {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return [];
  const p = value as Payload;
  if (p.data instanceof Uint8Array && typeof p.metadata === 'object' && p.metadata !== null) {
    return [{ path, encoding: Buffer.from(p.metadata.encoding ?? new Uint8Array()).toString() }];
  }
  return Object.entries(value).flatMap(([k, v]) => payloadsIn(v, `${path}.${k}`));
}

const startPayload = async (): Promise<Payload> => {
  const [started] = await rawHistory(workflowId);
  const payload = started?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error('no start input in the history');
  return payload;
};
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});
const envOf = (js: JobSet) => js.spec.replicatedJobs[0]?.template.spec?.template.spec?.containers[0]?.env;

beforeAll(async () => {
  env = await createTemporalEnv();
  namespace = await createTestNamespace('codec');
  dir = mkdtempSync(join(tmpdir(), 'codec-it-'));
  keyFile = join(dir, 'key.hex');
  writeFileSync(keyFile, `${key.toString('hex')}\n`, { mode: 0o600 });
  wrongKeyFile = join(dir, 'other.b64');
  writeFileSync(wrongKeyFile, `${wrongKey.toString('base64')}\n`, { mode: 0o600 });

  // The worker as operators run it: the CLI verb with the flag, its HTTP port from the environment.
  const port = await freePort();
  workerHttp = `http://127.0.0.1:${port}`;
  worker = start(['worker', '--address', env.address, '--task-queue', taskQueue, '--codec-key-file', keyFile], { JOBSET_HTTP_PORT: String(port) });
  await eventually(
    'the codec worker to poll its task queue',
    async () => {
      if (worker?.child.exitCode !== null) throw new Error(`the worker exited: ${worker?.output()}`);
      return (await fetch(`${workerHttp}/readyz`)).ok || undefined;
    },
    180_000,
  );

  // Submitted and followed to the end through the CLI with the key: the start input and the
  // admission Update go out encrypted, the status queries come back encrypted.
  const submit = await jobset(
    ['submit', '-f', '-', '--wait', '--timeout', '3m', '--address', env.address, '--task-queue', taskQueue, '--codec-key-file', keyFile],
    { input: JSON.stringify(jobSetInput(name)) },
  );
  expect({ code: submit.code, stderr: submit.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  workflowId = `jobset/${namespace}/${name}`;
  client = await JobSetClient.connect({ address: env.address, taskQueue, codecKeyFile: keyFile });
});

afterAll(async () => {
  await client?.close();
  await stop(worker);
  if (namespace) await deleteTestNamespace(namespace);
  await env?.teardown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('issue 12 item 7: payload codec', () => {
  test('(a) the raw history holds no plaintext of the env value anywhere, and the start input is binary/encrypted', async () => {
    const events = await rawHistory(workflowId);
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    for (const needle of [secret, envName]) expect(occurrences(events, needle)).toEqual([]);

    const start = await startPayload();
    expect(Buffer.from(start.metadata?.encoding ?? new Uint8Array()).toString()).toBe('binary/encrypted');
    expect(Buffer.from(start.metadata?.['encryption-key-id'] ?? new Uint8Array()).toString()).toBe(codecKeyId(key));
    // Every payload the SDKs write is encrypted: inputs, results, activity and Update payloads. Only
    // search attributes stay readable (the server indexes them; they hold namespace, name, state),
    // and the SDK's own marker data: a patch's ID, a local activity's type, attempt and times (its
    // result is a payload of its own, encrypted).
    const payloads = payloadsIn(events).filter(
      (p) => !/\.(searchAttributes|indexedFields|patch-data)\./.test(p.path) && !/markerRecordedEventAttributes\.details\.data\./.test(p.path),
    );
    expect(payloads.some((p) => /markerRecordedEventAttributes\.details\.result\./.test(p.path))).toBe(true);
    expect(payloads.length).toBeGreaterThan(10);
    expect(payloads.filter((p) => p.encoding !== 'binary/encrypted')).toEqual([]);
    expect(worker?.output()).toContain(`payloads encrypted with key ${codecKeyId(key)}`);
  });

  test('(b) the JobSet completes, and the key holders read the spec with the env value: SDK get, the child Jobs, the CLI', async () => {
    const info = await client.get(namespace, name);
    expect(info.status.terminalState).toBe('Completed');
    expect(envOf(info.jobSet)).toEqual([{ name: envName, value: secret }]);
    // The worker decrypted the spec before it created the Jobs.
    const jobs = await childJobs(namespace, name);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) expect(job.spec?.template.spec?.containers[0]?.env).toEqual([{ name: envName, value: secret }]);

    const cli = await jobset(['get', name, '-n', namespace, '-o', 'json', '--address', env.address, '--task-queue', taskQueue, '--codec-key-file', keyFile]);
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
    expect(envOf(JSON.parse(cli.stdout) as JobSet)).toEqual([{ name: envName, value: secret }]);
  });

  test('(c) a client without the key, or with another key, gets an error naming the key, not garbage', async () => {
    const keyless = await JobSetClient.connect({ address: env.address, taskQueue });
    const other = await JobSetClient.connect({ address: env.address, taskQueue, codecKeyFile: wrongKeyFile });
    try {
      const noKey = await keyless.get(namespace, name).catch((e: unknown) => e);
      expect(noKey).toBeInstanceOf(PayloadEncryptedError);
      expect((noKey as Error).message).toMatch(
        new RegExp(`^payload encrypted with key ${codecKeyId(key)}, this process has no codec key: set JOBSET_CODEC_KEY_FILE`),
      );

      const wrong = await other.get(namespace, name).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(PayloadKeyMismatchError);
      expect((wrong as Error).message).toContain(`payload encrypted with key ${codecKeyId(key)}, this process has key ${codecKeyId(wrongKey)}`);
    } finally {
      await keyless.close();
      await other.close();
    }
    // The CLI says the same and exits 1; a key file that is no key is a usage error (2).
    const cli = await jobset(['get', name, '-n', namespace, '--address', env.address, '--task-queue', taskQueue], { env: { JOBSET_CODEC_KEY_FILE: '' } });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`error: payload encrypted with key ${codecKeyId(key)}, this process has no codec key`);
    expect(cli.stdout).not.toContain(secret);
    const notAKey = join(dir, 'passphrase');
    writeFileSync(notAKey, 'hunter2\n');
    const bad = await jobset(['get', name, '-n', namespace, '--address', env.address, '--codec-key-file', notAKey]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`codec key file ${notAKey}: not a 256-bit key: expected 32 raw bytes, 64 hex characters, or the base64 of 32 bytes`);
  });

  test('(d) the codec server (on the worker, and `jobset codec-server`) decodes the raw start payload for the UI and the temporal CLI; CORS preflight answers', async () => {
    const stored = await startPayload();
    const codecServer = start(['codec-server', '--port', '0'], { JOBSET_CODEC_KEY_FILE: keyFile });
    try {
      const listening = await eventually('the codec server to listen', async () => /on (http:\/\/127\.0\.0\.1:\d+) /.exec(codecServer.output())?.[1]);
      expect(codecServer.output()).toContain(`(key ${codecKeyId(key)}; browsers from ${ui})`);

      for (const base of [workerHttp, listening]) {
        const preflight = await fetch(`${base}/decode`, {
          method: 'OPTIONS',
          headers: { origin: ui, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe(ui);
        expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, x-namespace, authorization');

        const res = await fetch(`${base}/decode`, {
          method: 'POST',
          headers: { origin: ui, 'content-type': 'application/json', 'x-namespace': 'default' },
          body: JSON.stringify({ payloads: [toJson(stored)] }),
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBe(ui);
        const [decoded] = ((await res.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> }).payloads;
        expect(Buffer.from(decoded?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');
        const input = defaultPayloadConverter.fromPayload<{ jobSet: JobSet }>({
          metadata: Object.fromEntries(Object.entries(decoded?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
          data: Buffer.from(decoded?.data ?? '', 'base64'),
        });
        expect(input.jobSet.metadata).toMatchObject({ name, namespace });
        expect(envOf(input.jobSet)).toEqual([{ name: envName, value: secret }]);
      }

      // The temporal CLI speaks the same protocol: with --codec-endpoint it shows the plaintext.
      const cliPath = process.env.TEMPORAL_CLI_PATH as string;
      const show = (extra: string[]) => run(cliPath, ['workflow', 'show', '--workflow-id', workflowId, '--address', env.address, '--detailed', ...extra]);
      const clear = await show(['--codec-endpoint', listening]);
      expect({ code: clear.code, stderr: clear.stderr }).toEqual({ code: 0, stderr: '' });
      expect(clear.stdout).toContain(secret);
      const raw = await show([]);
      expect(raw.code).toBe(0);
      expect(raw.stdout).not.toContain(secret);
    } finally {
      await stop(codecServer);
    }
  });

  test('(e) a JobSet terminated from Temporal reads as Failed through the codec client, its spec decrypted from the raw start event', async () => {
    await client.submit(jobSetInput('terminated', '120s'));
    await env.client.workflow.getHandle(`jobset/${namespace}/terminated`).terminate('issue 12 item 7 test');
    const info = await client.get(namespace, 'terminated');
    expect(info.executionStatus).toBe('TERMINATED');
    expect(info.state).toBe('Failed');
    expect(info.status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Failed', status: 'True', reason: 'WorkflowTerminated' })]));
    expect(envOf(info.jobSet)).toEqual([{ name: envName, value: secret }]);
  });
});
