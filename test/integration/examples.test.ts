// Every YAML in examples/ runs to the end state its `# expect:` line states, on the real cluster.
// One after the other: exclusive placement forbids sharing a node with other JobSets' pods.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { loadJobSets } from '../../src/api/load.js';
import { resumeUpdate } from '../../workflows/contract.js';
import { finalStatus, jobSetIn, jobSetSuite, startJobSet, statusEventually } from './helpers/jobset.js';

const root = fileURLToPath(new URL('../../examples', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );
}

interface Expectation {
  terminalState: string;
  reason?: string;
  restarts?: number;
}

function expectationOf(text: string): Expectation {
  const line = /^# expect: (.*)$/m.exec(text)?.[1];
  if (!line) throw new Error('no "# expect:" line');
  const fields = Object.fromEntries(
    line
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split('=') as [string, string]),
  );
  return {
    terminalState: fields.terminalState!,
    ...(fields.reason ? { reason: fields.reason } : {}),
    ...(fields.restarts ? { restarts: Number(fields.restarts) } : {}),
  };
}

const cases = yamlFiles(root)
  .sort()
  .map((file) => ({ file: relative(root, file), text: readFileSync(file, 'utf8') }));

const taskQueue = 'examples';
let env: TestWorkflowEnvironment;
let namespace: string;
jobSetSuite('examples', taskQueue, (ctx) => ({ env, namespace } = ctx));

test('examples/ is not empty', () => {
  expect(cases.length).toBeGreaterThanOrEqual(10);
});

test.each(cases)('$file ends as its # expect: line says', async ({ text }) => {
  const expected = expectationOf(text);
  for (const loaded of loadJobSets(text)) {
    const js = jobSetIn(namespace, loaded);
    const handle = await startJobSet(env, taskQueue, js);
    if (js.spec.suspend) {
      // Suspended examples run once resumed (what a queue such as Kueue would do).
      await statusEventually(handle, 'Suspended', (s) => s.conditions.some((c) => c.type === 'Suspended' && c.status === 'True'));
      await handle.executeUpdate(resumeUpdate, { args: [{}] });
    }
    const status = await finalStatus(handle);
    const terminal = status.conditions.find((c) => (c.type === 'Completed' || c.type === 'Failed') && c.status === 'True');
    expect({
      terminalState: status.terminalState,
      ...(expected.reason ? { reason: terminal?.reason } : {}),
      ...(expected.restarts !== undefined ? { restarts: status.restarts } : {}),
    }).toEqual(expected);
  }
});
