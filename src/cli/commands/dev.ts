// `jobset dev up|down|status|env`: the local environment of deploy/local/ (Temporal dev server
// and the local Kubernetes control plane with fake nodes).
import { spawn } from 'node:child_process';

import { packagePath } from '../../package-root.js';
import { UsageError } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';

const scripts = packagePath('deploy/local/');
const actions = ['up', 'down', 'status', 'env'] as const;

/** Runs one script, relaying its output; resolves to its exit status. */
function runScript(script: string, verb: string, io: CliIO): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [`${scripts}${script}`, verb], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export const devCommand: Command = {
  name: 'dev',
  usage: 'dev up|down|status|env',
  flags: [],
  details: [
    'up      install (the first time the Kubernetes binaries are built: about 10 minutes) and start both',
    'down    stop both',
    'status  say whether each is up (exit 1 when one is down)',
    'env     print export lines (TEMPORAL_ADDRESS, KUBECONFIG, PATH with kubectl)',
    'Web UI of the dev server: http://127.0.0.1:8233',
  ].join('\n'),

  async run(args, io: CliIO): Promise<number> {
    const [action, extra] = args.positionals;
    if (action === undefined) throw new UsageError(`missing action: one of ${actions.join(', ')}`);
    if (!(actions as readonly string[]).includes(action)) throw new UsageError(`unknown action ${JSON.stringify(action)}: one of ${actions.join(', ')}`);
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    // Up in dependency order; down in reverse; status and env report both.
    const order = action === 'down' ? ['cluster.sh', 'temporal.sh'] : ['temporal.sh', 'cluster.sh'];
    let code: number = ExitCode.OK;
    for (const script of order) {
      const rc = await runScript(script, action, io);
      if (rc !== 0) {
        code = ExitCode.Failed;
        if (action === 'up') break;
      }
    }
    return code;
  },
};
