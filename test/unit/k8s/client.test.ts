// Issue 13 item 2: API requests reuse connections (client-node alone opens one per request).
import { Agent as HttpsAgent } from 'node:https';

import { KubeConfig } from '@kubernetes/client-node';

import { makeKubeClients } from '../../../src/k8s/client.js';

function config(user: { token: string } | { certData: string; keyData: string }): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', caData: Buffer.from('ca').toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

/** The agent client-node would use for one request. */
async function agentOfOneRequest(kc: KubeConfig): Promise<unknown> {
  let agent: unknown;
  const context = { setHeaderParam: () => undefined, setAgent: (a: unknown) => (agent = a) };
  await kc.applySecurityAuthentication(context as never);
  return agent;
}

describe('issue 13 item 2: connection reuse', () => {
  test('every request of a process gets the same keep-alive agent', async () => {
    const kc = config({ token: 't' });
    makeKubeClients(kc);
    const first = await agentOfOneRequest(kc);
    expect(first).toBeInstanceOf(HttpsAgent);
    expect((first as HttpsAgent & { keepAlive: boolean }).keepAlive).toBe(true);
    expect(await agentOfOneRequest(kc)).toBe(first);
  });

  test('another client certificate gets its own agent (credentials may rotate)', async () => {
    const a = config({ certData: Buffer.from('cert-a').toString('base64'), keyData: Buffer.from('key-a').toString('base64') });
    makeKubeClients(a);
    const agentA = await agentOfOneRequest(a);
    a.users[0] = { ...a.users[0]!, certData: Buffer.from('cert-b').toString('base64') };
    expect(await agentOfOneRequest(a)).not.toBe(agentA);
  });

  test('a watch keeps a connection of its own', async () => {
    const kc = config({ token: 't' });
    makeKubeClients(kc);
    const api = await agentOfOneRequest(kc);
    const watch = (await kc.applyToFetchOptions({})).agent;
    expect(watch).toBeDefined();
    expect(watch).not.toBe(api);
  });

  test('making clients twice from one config does not wrap twice', async () => {
    const kc = config({ token: 't' });
    makeKubeClients(kc);
    makeKubeClients(kc);
    expect(await agentOfOneRequest(kc)).toBe(await agentOfOneRequest(kc));
  });
});
