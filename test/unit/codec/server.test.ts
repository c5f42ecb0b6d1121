// The codec server of the Web UI (src/codec/server.ts), standalone and on the worker's HTTP
// server: /encode and /decode in the UI's JSON, CORS for the configured origins only, and errors
// that say what is wrong.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Registry } from 'prom-client';

import { startHttpServer } from '../../../src/net/http.js';
import { AesGcmCodec, ENCRYPTED_ENCODING } from '../../../src/codec/aes-gcm.js';
import { codecEndpoint, parseCorsOrigins, startCodecServer, type RunningCodecServer } from '../../../src/codec/server.js';

const codec = new AesGcmCodec(Buffer.alloc(32, 1));
const ui = 'http://127.0.0.1:8233';
let server: RunningCodecServer;
let base: string;

beforeAll(async () => {
  server = await startCodecServer({ host: '127.0.0.1', port: 0, codec, corsOrigins: [ui, 'http://localhost:8233'] });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v ?? new Uint8Array())])),
  data: b64(p.data ?? new Uint8Array()),
});
const fromJson = (p: { metadata: Record<string, string>; data: string }): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data, 'base64')),
});
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

test('/decode turns what the worker stored back into the plaintext payload, in the UI JSON shape', async () => {
  const plain = defaultPayloadConverter.toPayload({ env: [{ name: 'TOKEN', value: 'abc' }] });
  const [stored] = (await codec.encode([plain])) as [Payload];
  const res = await post('/decode', { payloads: [toJson(stored)] }, { origin: ui, 'x-namespace': 'default' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('access-control-allow-origin')).toBe(ui);
  const body = (await res.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
  expect(body.payloads).toEqual([toJson(plain)]);
});

test('/encode encrypts what the UI sends (a signal or start input) so the worker can decode it', async () => {
  const plain = defaultPayloadConverter.toPayload('from the UI');
  const res = await post('/default/encode', { payloads: [toJson(plain)] });
  expect(res.status).toBe(200);
  const [encoded] = ((await res.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> }).payloads.map(fromJson) as [Payload];
  expect(Buffer.from(encoded.metadata?.encoding as Uint8Array).toString()).toBe(ENCRYPTED_ENCODING);
  expect(await codec.decode([encoded])).toEqual([plain]);
});

test('payloads that are not encrypted come back unchanged; an empty batch is an empty batch', async () => {
  const plain = toJson(defaultPayloadConverter.toPayload({ a: 1 }));
  expect(await (await post('/decode', { payloads: [plain] })).json()).toEqual({ payloads: [plain] });
  expect(await (await post('/decode', { payloads: [] })).json()).toEqual({ payloads: [] });
  // Protobuf JSON leaves an empty list out: the temporal CLI sends {} for no payloads.
  expect(await (await post('/decode', {})).json()).toEqual({ payloads: [] });
});

test.each([
  { origin: ui, requested: 'content-type,x-namespace' },
  { origin: 'http://localhost:8233', requested: 'content-type,authorization' },
])('the CORS preflight from $origin is answered', async ({ origin, requested }) => {
  const res = await fetch(`${base}/decode`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requested },
  });
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
  expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-namespace, authorization');
  expect(res.headers.get('access-control-allow-credentials')).toBe('true');
});

test.each(['OPTIONS', 'POST'])('%s from an origin that is not the UI is refused', async (method) => {
  const res = await fetch(`${base}/decode`, {
    method,
    headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: '{"payloads":[]}' } : {}),
  });
  expect(res.status).toBe(403);
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(await res.text()).toContain('origin https://evil.example may not call this codec server');
});

test.each([
  { what: 'a body that is not JSON', path: '/decode', body: 'nope', status: 400, message: 'the body is not JSON' },
  { what: 'payloads that are not a list', path: '/decode', body: { payloads: {} }, status: 400, message: 'expected {"payloads": [...]}' },
  { what: 'a JSON list', path: '/decode', body: [], status: 400, message: 'expected {"payloads": [...]}' },
  {
    what: 'metadata that is not base64 strings',
    path: '/encode',
    body: { payloads: [{ metadata: { encoding: 1 }, data: '' }] },
    status: 400,
    message: 'payloads[0].metadata.encoding: expected a base64 string',
  },
])('$what is a $status', async ({ path, body, status, message }) => {
  const res = await post(path, body);
  expect(res.status).toBe(status);
  expect(await res.text()).toContain(message);
});

test('a payload of another key is a 422 naming both keys', async () => {
  const other = new AesGcmCodec(Buffer.alloc(32, 2));
  const [stored] = (await other.encode([defaultPayloadConverter.toPayload(1)])) as [Payload];
  const res = await post('/decode', { payloads: [toJson(stored)] });
  expect(res.status).toBe(422);
  expect(await res.text()).toContain(`payload encrypted with key ${other.keyId}, this process has key ${codec.keyId}`);
});

test('other methods and paths: 405 on the codec paths, any prefix before /decode, 404 elsewhere, /healthz ok', async () => {
  const get = await fetch(`${base}/decode`);
  expect(get.status).toBe(405);
  expect(get.headers.get('allow')).toBe('POST, OPTIONS');
  expect((await fetch(`${base}/codec/default/decode`, { method: 'POST', body: '{}' })).status).toBe(200);
  expect((await fetch(`${base}/decoder`, { method: 'POST', body: '{}' })).status).toBe(404);
  expect((await fetch(`${base}/metrics`)).status).toBe(404);
  expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
});

test.each([
  { value: undefined, origins: ['http://127.0.0.1:8233'] },
  { value: '', origins: ['http://127.0.0.1:8233'] },
  { value: 'https://ui.example/', origins: ['https://ui.example'] },
  { value: 'http://127.0.0.1:8233, http://localhost:8233', origins: ['http://127.0.0.1:8233', 'http://localhost:8233'] },
])('JOBSET_CODEC_CORS_ORIGIN=$value allows $origins', ({ value, origins }) => {
  expect(parseCorsOrigins(value)).toEqual(origins);
});

test("the worker's HTTP server serves the codec next to /metrics, and without a key only GET", async () => {
  const probes = { registry: new Registry(), healthy: () => true, ready: () => true, host: '127.0.0.1', port: 0 };
  const withCodec = await startHttpServer({ ...probes, codec: codecEndpoint({ codec, corsOrigins: [ui] }) });
  const without = await startHttpServer(probes);
  try {
    const [stored] = (await codec.encode([defaultPayloadConverter.toPayload('x')])) as [Payload];
    const body = JSON.stringify({ payloads: [toJson(stored)] });
    const url = (s: { port: number }, path: string) => `http://127.0.0.1:${s.port}${path}`;
    const decoded = await fetch(url(withCodec, '/decode'), { method: 'POST', headers: { origin: ui }, body });
    expect(decoded.status).toBe(200);
    expect(((await decoded.json()) as { payloads: unknown[] }).payloads).toEqual([toJson(defaultPayloadConverter.toPayload('x'))]);
    expect((await fetch(url(withCodec, '/metrics'))).status).toBe(200);
    expect((await fetch(url(withCodec, '/healthz'))).status).toBe(200);
    expect((await fetch(url(without, '/decode'), { method: 'POST', body })).status).toBe(405);
  } finally {
    await withCodec.close();
    await without.close();
  }
});
