// `onJobFailureMessagePatterns` are Go RE2 expressions upstream, matched unanchored against the
// Job's Failed condition message. We run them as JavaScript RegExps. Both the validator and the
// failure policy must compile them the same way, so this is the only place that does it.
//
// The two dialects share their everyday syntax. Where they differ we either translate (a leading
// `(?flags)` group, `(?P<name>` groups) or refuse the pattern with a reason, so a pattern never
// silently means something else than it does upstream. Upstream logs and skips a pattern that
// does not compile; we refuse it at admission instead (docs/api-differences.md).

/** Thrown by {@link compileMessagePattern}; `message` says what is wrong with the pattern. */
export class MessagePatternError extends Error {
  override readonly name = 'MessagePatternError';
}

const fail = (reason: string): never => {
  throw new MessagePatternError(reason);
};

/**
 * Compiles one `onJobFailureMessagePatterns` entry. Throws {@link MessagePatternError} when the
 * pattern is not valid, or uses RE2 syntax that JavaScript would read differently.
 */
export function compileMessagePattern(pattern: string): RegExp {
  let flags = '';
  let body = pattern;
  // RE2 `(?i)`, `(?s)`, `(?m)` at the start apply to the whole pattern: the JS flags of the same name.
  const lead = /^\(\?([A-Za-z]+)\)/.exec(pattern);
  if (lead) {
    for (const f of lead[1] ?? '') {
      if (!'ims'.includes(f)) fail(`unsupported flag '${f}' (only i, m and s are supported)`);
      if (!flags.includes(f)) flags += f;
    }
    body = pattern.slice(lead[0].length);
  }

  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    const next = body[i + 1];
    if (c === '\\') {
      if (next !== undefined) {
        if (/[1-9]/.test(next) || next === 'k') fail('backreferences are not supported (not valid RE2)');
        if ('pP'.includes(next)) fail('Unicode classes \\p and \\P are not supported');
        if ('AzQE'.includes(next)) fail(`the RE2 escape \\${next} is not supported`);
        out += c + next;
        i++;
        continue;
      }
      out += c; // a trailing backslash: RegExp reports it below
      continue;
    }
    if (inClass) {
      if (c === '[' && next === ':') fail('POSIX character classes such as [[:alpha:]] are not supported');
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      if (next === ':') fail('POSIX character classes such as [[:alpha:]] are not supported');
      inClass = true;
      out += c;
      // In RE2 a `]` right after `[` or `[^` is a literal; in JS `[]` is an empty class and `[^]`
      // matches anything, so the literal is escaped.
      if (body[i + 1] === '^') out += body[++i];
      if (body[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && next === '?') {
      const rest = body.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (/^(=|!|<=|<!)/.test(rest)) fail('lookaround assertions are not supported (not valid RE2)');
      if (rest.startsWith(':') || rest.startsWith('<')) {
        out += c;
        continue;
      }
      fail('inline flags are supported only as a single group at the start of the pattern, e.g. (?i)');
    }
    out += c;
  }

  try {
    return new RegExp(out, flags);
  } catch (err) {
    // V8 messages read "Invalid regular expression: /x/: Unterminated group": keep the reason.
    const msg = err instanceof Error ? err.message : String(err);
    return fail(msg.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''));
  }
}
