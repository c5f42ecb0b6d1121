// A small command-line parser in the kubectl style: `-f FILE`, `-fFILE`, `-f=FILE`,
// `--filename FILE`, `--filename=FILE`, boolean `--wait`, `--` to end the flags. Each verb
// declares its flags; anything else is a usage error naming the flag.

/** One flag a verb accepts. */
export interface FlagSpec {
  /** Long name without dashes: `filename`. */
  name: string;
  /** One-letter alias without the dash: `f`. */
  short?: string;
  /** Placeholder shown in help (`FILE`); a flag with a placeholder takes a value, else it is boolean. */
  value?: string;
  /** Allowed values, checked while parsing. */
  choices?: readonly string[];
  /** The flag may be given more than once (all values are kept). */
  multiple?: boolean;
  description: string;
}

/** A command line that cannot be understood. The CLI prints the message and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export class ParsedArgs {
  constructor(
    readonly positionals: readonly string[],
    private readonly values: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** The flag's value (the last one when repeated). */
  get(name: string): string | undefined {
    return this.values.get(name)?.at(-1);
  }

  /** Every value given for the flag, in order. */
  all(name: string): readonly string[] {
    return this.values.get(name) ?? [];
  }

  /** The flag was given (booleans and value flags alike). */
  has(name: string): boolean {
    return this.values.has(name);
  }
}

/** Flags every verb accepts. */
export const helpFlag: FlagSpec = { name: 'help', short: 'h', description: 'show this help' };

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const all = [...specs, helpFlag];
  const byLong = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short as string, s]));
  const values = new Map<string, string[]>();
  const positionals: string[] = [];

  const set = (spec: FlagSpec, value: string, shown: string) => {
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`invalid value ${JSON.stringify(value)} for ${shown}: must be one of ${spec.choices.join(', ')}`);
    }
    const prev = values.get(spec.name);
    if (prev && !spec.multiple && spec.value) throw new UsageError(`${shown} may be given only once`);
    values.set(spec.name, [...(prev ?? []), value]);
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    // A lone `-` is a value (stdin), never a flag.
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = long ? arg.slice(2) : arg.slice(1);
    // `--name=value`, `-f=value`, and for short flags also `-fvalue`.
    const eq = body.indexOf('=');
    const key = long ? (eq < 0 ? body : body.slice(0, eq)) : body.slice(0, 1);
    const spec = long ? byLong.get(key) : byShort.get(key);
    const shown = long ? `--${key}` : `-${key}`;
    if (!spec) throw new UsageError(`unknown flag ${shown}`);
    let inline: string | undefined;
    if (long) inline = eq < 0 ? undefined : body.slice(eq + 1);
    else if (body.length > 1) inline = body[1] === '=' ? body.slice(2) : body.slice(1);

    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`flag ${shown} does not take a value`);
      values.set(spec.name, ['true']);
      continue;
    }
    if (inline !== undefined) {
      set(spec, inline, shown);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined) throw new UsageError(`flag ${shown} needs a value (${spec.value})`);
    set(spec, next, shown);
    i++;
  }
  return new ParsedArgs(positionals, values);
}

/** The flag table of a verb's help text. */
export function formatFlags(specs: readonly FlagSpec[]): string {
  const rows = [...specs, helpFlag].map((s) => {
    const names = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.value ? ` ${s.value}` : ''}`;
    const choices = s.choices ? ` (${s.choices.join('|')})` : '';
    return [names, `${s.description}${choices}`] as const;
  });
  const width = Math.max(...rows.map(([n]) => n.length));
  return rows.map(([n, d]) => `  ${n.padEnd(width)}  ${d}`).join('\n');
}
