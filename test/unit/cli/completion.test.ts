// `jobset completion bash`: the script, run by a real bash, completes verbs, a verb's flags, the
// choices of a flag and file names after a FILE flag.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { main } from '../../../src/cli/main.js';

async function script(shell: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['completion', shell], {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stdin: (async function* () {})(),
    cwd: '/',
  });
  return { code, out, err };
}

/** What the completion function offers for the command line `words` (the last word being typed). */
function complete(bashScript: string, words: string[], cwd: string): string[] {
  const file = join(cwd, 'completion.bash');
  writeFileSync(file, bashScript);
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `source ${file}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _jobset; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    cwd,
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean).sort();
}

test.each([
  [['jobset', 'va'], ['validate']],
  [['jobset', 'get', '--st'], ['--state']],
  [
    ['jobset', 'get', '--state', 'R'],
    ['Restarting', 'Running'],
  ],
  [
    ['jobset', 'validate', '-o', ''],
    ['json', 'yaml'],
  ],
  [['jobset', 'submit', '-f', 'job'], ['jobset.yaml']],
  [['jobset', 'wait', '--he'], ['--help']],
])('%j completes to %j', async (words, expected) => {
  const { code, out } = await script('bash');
  expect(code).toBe(0);
  const dir = mkdtempSync(join(tmpdir(), 'jobset-completion-'));
  writeFileSync(join(dir, 'jobset.yaml'), '');
  expect(complete(out, words, dir)).toEqual(expected);
});

test('zsh gets the same function through bashcompinit; an unknown shell is a usage error', async () => {
  const zsh = await script('zsh');
  expect(zsh.code).toBe(0);
  expect(zsh.out).toContain('bashcompinit');
  expect(zsh.out).toContain('complete -o default -F _jobset jobset');
  const fish = await script('fish');
  expect(fish.code).toBe(2);
  expect(fish.err).toContain('unknown shell "fish": one of bash, zsh');
});
