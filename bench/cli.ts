// `npm run bench -- --only cli`: how long the built `jobset` CLI takes from process start to exit
// (issue 16 item 2), next to `node -e 0` (the floor: Node's own start-up) measured in the same
// run. `--help` and `validate` are offline; `list` and `get` ask the Temporal server at --address
// (the local dev server: `npm run env:up`).
import { spawnSync } from 'node:child_process';

import { root } from './lib.js';

export interface CliFigure {
  what: string;
  /** Wall time of each run, ms. */
  ms: number[];
  targetMs?: number;
}

/** Wall-clock milliseconds of each of `runs` runs of `node args...`; throws if one fails. */
function timeNode(args: string[], runs: number, env: NodeJS.ProcessEnv): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  }
  return times;
}

export function measureCli(runs: number, address: string): CliFigure[] {
  const env = { ...process.env, TEMPORAL_ADDRESS: address };
  const jobset = (...args: string[]) => timeNode(['bin/jobset.js', ...args], runs, env);
  // One run first, untimed: the first start of a process after a build reads cold files.
  jobset('--help');
  return [
    { what: 'node -e 0 (floor)', ms: timeNode(['-e', '0'], runs, env) },
    { what: 'jobset --help', ms: jobset('--help'), targetMs: 300 },
    { what: 'jobset validate -f examples/simple/pytorch.yaml', ms: jobset('validate', '-f', 'examples/simple/pytorch.yaml'), targetMs: 300 },
    // One namespace: `list -A` reads every JobSet on the server, so its time is the server's content.
    { what: 'jobset list -n default (Temporal dev server)', ms: jobset('list', '-n', 'default'), targetMs: 500 },
    { what: 'jobset get -n default -o name (Temporal dev server)', ms: jobset('get', '-n', 'default', '-o', 'name'), targetMs: 500 },
  ];
}
