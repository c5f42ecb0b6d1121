// The codec server the Temporal Web UI and the `temporal` CLI call to show (and write) encrypted
// payloads: POST /encode and POST /decode with {"payloads": [{"metadata": {k: base64}, "data":
// base64}]}, answered in the same shape (Temporal's codec server protocol). Only the last path
// segment counts, so an endpoint templated with the namespace (/<namespace>/decode) works too.
// Browsers may call it only from the configured UI origins (CORS). It has no authentication of
// its own: whoever can reach it can decrypt what they can read from Temporal, so it listens on
// loopback unless told otherwise.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import type { Payload, PayloadCodec } from '@temporalio/common';

import { listen } from '../net/listen.js';
import { PayloadCodecError } from './errors.js';

/** The local dev server's Web UI. */
export const DEFAULT_CORS_ORIGIN = 'http://127.0.0.1:8233';
/** What the UI sends: the JSON body, its namespace, and (when told to pass it) the user's token. */
export const CODEC_ALLOWED_HEADERS = 'content-type, x-namespace, authorization';
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** As the protocol asks, only the last path segment counts: /decode, /default/decode, /codec/default/decode. */
const PATH = /^(?:\/[^/]+)*\/(encode|decode)$/;

export interface CodecEndpointOptions {
  codec: PayloadCodec;
  /** Origins a browser may call from (the Web UI's, e.g. http://127.0.0.1:8233); `*` allows any. */
  corsOrigins: readonly string[];
}

/** `JOBSET_CODEC_CORS_ORIGIN`: one origin or a comma-separated list. */
export function parseCorsOrigins(value: string | undefined): string[] {
  const origins = (value ?? DEFAULT_CORS_ORIGIN)
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return origins.length > 0 ? origins : [DEFAULT_CORS_ORIGIN];
}

/** A request the codec server refuses, with the HTTP status to answer. */
class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

function fromJson(body: string): Payload[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new BadRequest(400, 'the body is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new BadRequest(400, 'expected {"payloads": [...]}');
  // Protobuf's JSON mapping leaves an empty list out: the temporal CLI sends `{}` for no payloads.
  const { payloads = [] } = doc as { payloads?: unknown };
  if (!Array.isArray(payloads)) throw new BadRequest(400, 'expected {"payloads": [...]}');
  return payloads.map((p: unknown, i) => {
    const { metadata = {}, data = '' } = (p ?? {}) as JsonPayload;
    if (typeof metadata !== 'object' || metadata === null || typeof data !== 'string') {
      throw new BadRequest(400, `payloads[${i}]: expected {"metadata": {key: base64}, "data": base64}`);
    }
    const decoded: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new BadRequest(400, `payloads[${i}].metadata.${k}: expected a base64 string`);
      decoded[k] = new Uint8Array(Buffer.from(v, 'base64'));
    }
    return { metadata: decoded, data: new Uint8Array(Buffer.from(data, 'base64')) };
  });
}

function toJson(payloads: Payload[]): string {
  return JSON.stringify({
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest(413, `the body is larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A request handler for /encode and /decode (and their OPTIONS preflight). It returns false,
 * answering nothing, for any other path, so it can sit in front of another server's routes.
 */
export function codecEndpoint(options: CodecEndpointOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const anyOrigin = options.corsOrigins.includes('*');
  const allowed = (origin: string) => anyOrigin || options.corsOrigins.includes(origin);

  return (req, res) => {
    const m = PATH.exec((req.url ?? '/').split('?')[0] as string);
    if (!m) return false;
    const operation = m[1] as 'encode' | 'decode';
    const origin = req.headers.origin;
    // A request without Origin does not come from a browser page (the temporal CLI, curl).
    const cors: Record<string, string> = origin ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {};
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }).end(body);
    };
    if (origin && !allowed(origin)) {
      reply(403, `origin ${origin} may not call this codec server (JOBSET_CODEC_CORS_ORIGIN)\n`, { Vary: 'Origin' });
      return true;
    }
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          ...cors,
          'Access-Control-Allow-Methods': 'POST, OPTIONS',
          'Access-Control-Allow-Headers': CODEC_ALLOWED_HEADERS,
          'Access-Control-Max-Age': '600',
        })
        .end();
      return true;
    }
    if (req.method !== 'POST') {
      reply(405, 'use POST\n', { ...cors, Allow: 'POST, OPTIONS' });
      return true;
    }
    readBody(req)
      .then(async (body) => {
        const payloads = fromJson(body);
        const result = operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
        reply(200, toJson(result), { ...cors, 'Content-Type': 'application/json' });
      })
      .catch((err: unknown) => {
        if (err instanceof BadRequest) reply(err.status, `${err.message}\n`, cors);
        // A payload this key cannot decode is the caller's problem, said as the codec says it.
        else if (err instanceof PayloadCodecError) reply(422, `${err.message}\n`, cors);
        else reply(500, `${String(err)}\n`, cors);
      });
    return true;
  };
}

export interface CodecServerOptions extends CodecEndpointOptions {
  host: string;
  /** 0 = any free port; the bound port is returned. */
  port: number;
}

export interface RunningCodecServer {
  port: number;
  close(): Promise<void>;
}

/** A server of its own for the codec endpoint (`jobset codec-server`), with GET /healthz. */
export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const endpoint = codecEndpoint(options);
  const server = createServer((req, res) => {
    if (endpoint(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok\n');
    else res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
  });
  return listen(server, options.port, options.host);
}
