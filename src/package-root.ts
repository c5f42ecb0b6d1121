// The package's own files (deploy/local/ scripts) are found from its root: the directory that holds
// its package.json. Modules run from the TypeScript sources (src/) or from the build (dist/src/),
// one level deeper, so a fixed relative path fits only one of them.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** `relative` resolved against the package's root directory. */
export function packagePath(relative: string): string {
  return join(findRoot(dirname(fileURLToPath(import.meta.url))), relative);
}
