// `jobset completion bash|zsh`: prints the shell completion script (src/cli/completion.ts).
import { UsageError } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { completionScript, SHELLS, type Shell } from '../completion.js';

export const completionCommand: Command = {
  name: 'completion',
  usage: 'completion bash|zsh',
  flags: [],
  details: ['Load in the current shell:  source <(jobset completion bash)', 'or save it where your shell loads completions from.'].join('\n'),

  async run(args, io: CliIO): Promise<number> {
    const [shell, extra] = args.positionals;
    if (shell === undefined) throw new UsageError(`missing shell: one of ${SHELLS.join(', ')}`);
    if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`unknown shell ${JSON.stringify(shell)}: one of ${SHELLS.join(', ')}`);
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    // Loaded here, not at the top: the verb list loads this module.
    const { verbs } = await import('./index.js');
    const loaded = [];
    for (const v of verbs) loaded.push({ name: v.name, flags: (await v.load()).flags });
    io.stdout.write(completionScript(shell as Shell, loaded));
    return ExitCode.OK;
  },
};
