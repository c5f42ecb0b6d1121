// client-node values reach the production code through src/k8s/kube.ts only, whose build is one
// tree-shaken bundle (scripts/bundle-kube.mjs): a value imported from the package anywhere else
// would load the whole package again in the built worker and bridge (~55 MiB of RSS, issue 13).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as source from '../../../src/k8s/kube.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const productionDirs = ['src', 'activities', 'worker', 'workflows'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Imports of client-node that bring in a value: anything but `import type` or all-`type` specifiers. */
function valueImportsOfClientNode(src: string): string[] {
  return [...src.matchAll(/^import\s+(type\s+)?([^'"]*?)\s*from\s+'@kubernetes\/client-node';/gms)]
    .filter(([, typeOnly, clause]) => {
      if (typeOnly) return false;
      const names = /^\{([\s\S]*)\}$/.exec(clause!.trim());
      return !names || names[1]!.split(',').some((n) => n.trim() !== '' && !n.trim().startsWith('type '));
    })
    .map(([statement]) => statement.replace(/\s+/g, ' '));
}

test('only src/k8s/kube.ts imports values from @kubernetes/client-node', () => {
  const offenders = productionDirs
    .flatMap((d) => tsFiles(join(root, d)))
    .filter((f) => relative(root, f) !== join('src', 'k8s', 'kube.ts'))
    .flatMap((f) => valueImportsOfClientNode(readFileSync(f, 'utf8')).map((i) => `${relative(root, f)}: ${i}`));
  expect(offenders).toEqual([]);
});

test.each([
  ["import type { V1Job } from '@kubernetes/client-node';", []],
  ["import { type V1Job, type V1Pod } from '@kubernetes/client-node';", []],
  ["import { KubeConfig } from '@kubernetes/client-node';", ["import { KubeConfig } from '@kubernetes/client-node';"]],
  [
    "import {\n  makeInformer,\n  type Informer,\n} from '@kubernetes/client-node';",
    ["import { makeInformer, type Informer, } from '@kubernetes/client-node';"],
  ],
  ["import * as k8s from '@kubernetes/client-node';", ["import * as k8s from '@kubernetes/client-node';"]],
])('the guard reads %j', (src, expected) => {
  expect(valueImportsOfClientNode(src)).toEqual(expected);
});

test('the build of kube.ts is one bundle with the same exports, and it makes working clients', async () => {
  const builtPath = join(root, 'dist', 'src', 'k8s', 'kube.js');
  const built = readFileSync(builtPath, 'utf8');
  expect(built).not.toContain('@kubernetes/client-node');
  const bundle = (await import(builtPath)) as typeof source;
  expect(Object.keys(bundle).sort()).toEqual(Object.keys(source).sort());

  const config = new bundle.KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: false }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  const batch = config.makeApiClient(bundle.BatchV1Api);
  // Nothing listens on port 1: the request is built and sent (the bundle's fetch and agents work).
  await expect(batch.listNamespacedJob({ namespace: 'default' })).rejects.toThrow(/ECONNREFUSED|connect/);
  expect(bundle.PatchStrategy.ServerSideApply).toBe(source.PatchStrategy.ServerSideApply);
});
