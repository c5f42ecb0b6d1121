// The bridge's watch survives losing the API server: its Kubernetes connection goes through a TCP
// proxy that the test cuts (every connection reset, new ones refused) and brings back. The bridge
// reports not ready meanwhile, reconnects by itself, and then handles what changed while it was
// cut off.
import { createServer, type Server, type Socket, connect } from 'node:net';

import { KubeConfig } from '@kubernetes/client-node';

import { makeKubeClients } from '../../src/k8s/client.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube } from '../integration/helpers/kube.js';
import { applyJobSet, deleteAllJobSets, installCrd, kubectl, smallJobSet, startBridge, startWorkerStack, type TestStack } from './helpers/bridge.js';
import { uniqueTaskQueue } from './helpers/cli.js';
import type { JobSetBridge } from '../../src/bridge/bridge.js';

/** A TCP proxy to host:port on 127.0.0.1 that can be cut and restored on the same port. */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const taskQueue = uniqueTaskQueue('e2e-bridge-watch');
let stack: TestStack;
let ns: string;
let proxy: CuttableProxy;
let bridge: JobSetBridge;

beforeAll(async () => {
  await installCrd();
  stack = await startWorkerStack(taskQueue);
  ns = await createTestNamespace('br-watch');
  const base = kube().config;
  const server = new URL(base.getCurrentCluster()!.server);
  proxy = new CuttableProxy({ host: server.hostname, port: Number(server.port) });
  await proxy.up();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: base.clusters.map((c) => (c.name === base.getCurrentCluster()!.name ? { ...c, server: `https://127.0.0.1:${proxy.port}` } : c)),
    contexts: base.contexts,
    currentContext: base.currentContext,
    users: base.users,
  });
  bridge = await startBridge(stack.client, taskQueue, ns, { kube: makeKubeClients(kc) });
});

afterAll(async () => {
  // Restored in case the test failed while it was cut: cleaning up goes through the bridge.
  await proxy?.up().catch(() => undefined);
  if (ns) await deleteAllJobSets(stack.client, ns).catch(() => undefined);
  await bridge?.stop();
  await proxy?.cut();
  await stack?.stop();
  if (ns) await deleteTestNamespace(ns);
});

const wait = (what: string, name: string) => kubectl(['wait', '-n', ns, `--for=${what}`, '--timeout=180s', `jobset/${name}`]);

test('the bridge reconnects after losing the API server and catches up on what changed meanwhile', async () => {
  await applyJobSet(ns, smallJobSet('before'));
  expect(await wait('condition=Completed', 'before')).toMatchObject({ code: 0 });

  await proxy.cut();
  await eventually('the bridge to notice and report not ready', async () => (bridge.ready() ? undefined : true));
  // Created while the bridge cannot see the cluster (kubectl talks to the API server directly).
  await applyJobSet(ns, smallJobSet('during'));

  await proxy.up();
  await eventually('the bridge to reconnect', async () => (bridge.ready() ? true : undefined), 120_000);
  expect(await wait('condition=Completed', 'during')).toMatchObject({ code: 0 });
  // The watch is live again: a JobSet created now runs too.
  await applyJobSet(ns, smallJobSet('after'));
  expect(await wait('condition=Completed', 'after')).toMatchObject({ code: 0 });
});
