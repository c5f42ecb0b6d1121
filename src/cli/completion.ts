// Shell completion for `jobset` (issue 16 item 2): a bash function completing verbs, each verb's
// flags, the values of flags with fixed choices, and file names after flags that take a FILE.
// zsh runs the same function through its bash compatibility layer.
import type { FlagSpec } from './args.js';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

export interface VerbFlags {
  name: string;
  flags: readonly FlagSpec[];
}

const words = (list: readonly string[]) => list.join(' ');
const spellings = (f: FlagSpec) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])];

export function completionScript(shell: Shell, verbs: readonly VerbFlags[]): string {
  const withHelp = verbs.map((v) => ({
    ...v,
    flags: v.flags.some((f) => f.name === 'help') ? v.flags : [...v.flags, { name: 'help', short: 'h', description: '' }],
  }));
  const valueCases = withHelp.flatMap((v) =>
    v.flags
      .filter((f) => f.choices || f.value === 'FILE')
      .map((f) => {
        const reply = f.choices ? `COMPREPLY=($(compgen -W "${words(f.choices)}" -- "$cur"))` : 'COMPREPLY=($(compgen -f -- "$cur"))';
        return `    ${spellings(f)
          .map((s) => `${v.name}:${s}`)
          .join('|')}) ${reply}; return ;;`;
      }),
  );
  const flagCases = withHelp.map((v) => `    ${v.name}) COMPREPLY=($(compgen -W "${words(v.flags.flatMap(spellings))}" -- "$cur")) ;;`);
  return [
    `# jobset completion (${shell}): load it with  source <(jobset completion ${shell})`,
    ...(shell === 'zsh' ? ['autoload -U +X bashcompinit && bashcompinit'] : []),
    '_jobset() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} verb=${COMP_WORDS[1]}',
    '  if [[ $COMP_CWORD -eq 1 ]]; then',
    `    COMPREPLY=($(compgen -W "${words(verbs.map((v) => v.name))} --help" -- "$cur"))`,
    '    return',
    '  fi',
    '  case "$verb:$prev" in',
    ...valueCases,
    '  esac',
    '  [[ $cur == -* ]] || return',
    '  case "$verb" in',
    ...flagCases,
    '  esac',
    '}',
    'complete -o default -F _jobset jobset',
    '',
  ].join('\n');
}
