// The verb list (src/cli/commands/index.ts) loads each verb's module lazily: each entry must load
// the command of its own name, and listing the verbs must load no module (`jobset --help`).
import { verbs } from '../../../src/cli/commands/index.js';

test.each(verbs.map((v) => [v.name, v] as const))('verb %s loads the command of that name', async (name, verb) => {
  const command = await verb.load();
  expect(command.name).toBe(name);
  expect(command.usage.startsWith(name)).toBe(true);
});

test('verb names are unique', () => {
  expect(new Set(verbs.map((v) => v.name)).size).toBe(verbs.length);
});
