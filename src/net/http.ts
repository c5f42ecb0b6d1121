// The HTTP endpoint of the worker and the bridge: GET /metrics (Prometheus text format),
// /healthz (the process is alive and its main loop has not failed: restart it otherwise) and
// /readyz (it is doing its job: connected and running); with a codec key, the worker also serves
// the Web UI's codec server (POST /encode, /decode; src/codec/server.ts). Nothing else is served.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import type { Registry } from 'prom-client';

import { listen, type RunningHttpServer } from './listen.js';

/** Health as the process sees it; a probe that throws counts as false. */
export type Probe = () => boolean | Promise<boolean>;

export interface HttpServerOptions {
  host: string;
  /** 0 = any free port (tests); the bound port is returned. */
  port: number;
  registry: Registry;
  healthy: Probe;
  ready: Probe;
  /** Extra routes tried first (the codec endpoint); returns false for a request it does not serve. */
  codec?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export type { RunningHttpServer } from './listen.js';

async function holds(probe: Probe): Promise<boolean> {
  try {
    return await probe();
  } catch {
    return false;
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server: Server = createServer((req, res) => {
    if (options.codec?.(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const reply = (code: number, contentType: string, body: string) => {
      res.writeHead(code, { 'Content-Type': contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const probe = (p: Probe, what: string) => holds(p).then((ok) => reply(ok ? 200 : 503, 'text/plain; charset=utf-8', ok ? 'ok\n' : `not ${what}\n`));
    switch (path) {
      case '/metrics':
        options.registry
          .metrics()
          .then((text) => reply(200, options.registry.contentType, text))
          .catch((err: unknown) => reply(500, 'text/plain; charset=utf-8', `${String(err)}\n`));
        return;
      case '/healthz':
        void probe(options.healthy, 'healthy');
        return;
      case '/readyz':
        void probe(options.ready, 'ready');
        return;
      default:
        reply(404, 'text/plain; charset=utf-8', 'not found\n');
    }
  });
  return listen(server, options.port, options.host);
}
