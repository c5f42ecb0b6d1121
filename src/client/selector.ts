// Kubernetes label selectors (the `-l` of kubectl), evaluated on the client against
// jobSet.metadata.labels: `k=v`, `k==v`, `k!=v`, `k` (exists), `!k` (does not exist),
// `k in (a,b)`, `k notin (a,b)`, joined by commas (all must hold).
import { InvalidLabelSelectorError } from './errors.js';

export type Requirement = { key: string; op: 'exists' | 'notExists' } | { key: string; op: 'in' | 'notIn'; values: readonly string[] };

const keyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim());
}

/** Parses a selector; an empty selector selects everything. @throws InvalidLabelSelectorError */
export function parseLabelSelector(selector: string): Requirement[] {
  if (selector.trim() === '') return [];
  const fail = (why: string): never => {
    throw new InvalidLabelSelectorError(selector, why);
  };
  const checkKey = (key: string) => (keyPattern.test(key) ? key : fail(`${JSON.stringify(key)} is not a valid label key`));
  const checkValue = (value: string) => (valuePattern.test(value) ? value : fail(`${JSON.stringify(value)} is not a valid label value`));

  return splitTerms(selector).map((term): Requirement => {
    if (term === '') return fail('empty requirement');
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
    if (set) {
      const values = (set[3] ?? '').split(',').map((v) => checkValue(v.trim()));
      return { key: checkKey(set[1] ?? ''), op: set[2] === 'in' ? 'in' : 'notIn', values };
    }
    const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (eq) {
      const op = eq[2] === '!=' ? 'notIn' : 'in';
      return { key: checkKey(eq[1] ?? ''), op, values: [checkValue(eq[3] ?? '')] };
    }
    if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim()), op: 'notExists' };
    return { key: checkKey(term), op: 'exists' };
  });
}

/** Whether the labels satisfy every requirement (a `!=`/`notin` holds when the key is absent, as in Kubernetes). */
export function matchesLabels(requirements: readonly Requirement[], labels: Readonly<Record<string, string>> = {}): boolean {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notExists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key] as string);
      case 'notIn':
        return !has || !r.values.includes(labels[r.key] as string);
    }
  });
}
