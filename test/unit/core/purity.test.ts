// src/core is bundled into the Temporal workflow sandbox and must stay deterministic (docs/design.md,
// the dependency rule): no Node built-ins, no I/O clients, no clock, no randomness. This guards
// the rule mechanically so a convenient import cannot slip in unnoticed.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const coreDir = join(dirname(fileURLToPath(import.meta.url)), '../../../src/core');
const files = readdirSync(coreDir).filter((f) => f.endsWith('.ts'));

// Value imports allowed from outside src/core: pure api modules. message-pattern.ts brings in one
// package, re2js, whose built code is held to the same rule below.
const allowedValueImports = new Set(['../api/constants.js', '../api/message-pattern.js']);
const forbidden = /Date\.now\(|new Date\(\)|Math\.random|performance\.|process\.|require\(|setTimeout|crypto/;
const stripComments = (src: string) => src.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');

const importsOf = (src: string) => [...src.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)';/gms)].map((m) => ({ typeOnly: !!m[1], from: m[2]! }));

describe.each(files)('src/core/%s', (file) => {
  const src = readFileSync(join(coreDir, file), 'utf8');

  test('value imports are core-local or pure api modules', () => {
    const bad = importsOf(src).filter((i) => !i.typeOnly && !i.from.startsWith('./') && !allowedValueImports.has(i.from));
    expect(bad).toEqual([]);
  });

  test('no clock, randomness or Node globals', () => {
    expect(stripComments(src)).not.toMatch(forbidden);
  });
});

test('re2js (message patterns, run in the workflow) imports nothing and has no clock, randomness or Node globals', () => {
  const built = readFileSync(join(coreDir, '../../node_modules/re2js/build/index.js'), 'utf8');
  const code = stripComments(built);
  expect(code).not.toMatch(forbidden);
  expect(code).not.toMatch(/^\s*import[\s{*"']/m); // static imports, either quote
  expect(code).not.toMatch(/\bimport\(/); // dynamic ones
});

test('the guard sees the modules and parses multi-line imports', () => {
  expect(files).toEqual(expect.arrayContaining(['decide.ts', 'manifests.ts', 'observe.ts', 'sha1.ts']));
  const manifests = importsOf(readFileSync(join(coreDir, 'manifests.ts'), 'utf8'));
  expect(manifests).toContainEqual({ typeOnly: true, from: '@kubernetes/client-node' });
  expect(importsOf("import { x } from 'node:fs';")).toEqual([{ typeOnly: false, from: 'node:fs' }]);
});
