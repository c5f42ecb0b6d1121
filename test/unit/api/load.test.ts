// Loading JobSets from text: YAML and JSON, several documents, Lists, and every way the text can
// be wrong; each failure is a JobSetValidationError naming where.
import { stringify } from 'yaml';

import { JobSetValidationError, type FieldIssue } from '../../../src/api/errors.js';
import { loadJobSets, parseJobSet } from '../../../src/api/load.js';
import { safeParseJobSet } from '../../../src/api/parse.js';
import { ValidationMessage as M } from '../../../src/api/messages.js';
import { jobSet, rjob } from './builders.js';

const yamlOf = (...docs: unknown[]) => docs.map((d) => stringify(d)).join('---\n');

/** The issues a call throws with; fails the test when it does not throw our error. */
const issuesOf = (f: () => unknown): readonly FieldIssue[] => {
  try {
    f();
  } catch (err) {
    if (err instanceof JobSetValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected a JobSetValidationError');
};

describe('parseJobSet', () => {
  it('parses, defaults and validates in one call', () => {
    const js = parseJobSet(jobSet('train').obj());
    expect(js.metadata.name).toBe('train');
    expect(js.spec.replicatedJobs[0]?.replicas).toBe(1);
    expect(js.spec.successPolicy).toEqual({ operator: 'All' });
  });

  it('throws schema problems with their paths', () => {
    const input = jobSet().replicatedJobs(rjob('w').replicas(-1)).set('bogus', 1).obj();
    expect(issuesOf(() => parseJobSet(input))).toEqual([
      { path: 'spec.replicatedJobs[0].replicas', message: 'Too small: expected number to be >=0' },
      { path: 'spec.bogus', message: 'unknown field "bogus"' },
    ]);
  });

  it('says "Required value" for a missing field', () => {
    expect(issuesOf(() => parseJobSet({ metadata: { name: 'x' } }))).toEqual([{ path: 'spec', message: 'Required value' }]);
  });

  it('throws validation problems with their paths', () => {
    const input = jobSet().set('network', { subdomain: '1svc' }).obj();
    expect(issuesOf(() => parseJobSet(input)).map((i) => i.path)).toEqual(['spec.network.subdomain']);
  });

  it('names the JobSet in the message', () => {
    expect(() => parseJobSet(jobSet('Bad').obj())).toThrow(/^JobSet "Bad" is invalid \(2 errors\):\n {2}✖ metadata\.name: /);
  });

  it.each([null, 42, 'jobset', [], true])('refuses %j at the root', (input) => {
    expect(issuesOf(() => parseJobSet(input))).toEqual([{ path: '(root)', message: expect.stringMatching(/expected object/) }]);
  });

  it('safeParseJobSet returns the same result without throwing', () => {
    expect(safeParseJobSet(jobSet().obj()).success).toBe(true);
    expect(safeParseJobSet({}, 'items[3]')).toEqual({
      success: false,
      issues: [
        { path: 'items[3].metadata', message: 'Required value' },
        { path: 'items[3].spec', message: 'Required value' },
      ],
    });
  });
});

describe('loadJobSets', () => {
  it('reads one YAML document', () => {
    expect(loadJobSets(yamlOf(jobSet('a').obj())).map((j) => j.metadata.name)).toEqual(['a']);
  });

  it('reads several YAML documents, skipping empty ones', () => {
    const text = `---\n# nothing here\n---\n${yamlOf(jobSet('a').obj(), jobSet('b').obj())}---\n`;
    expect(loadJobSets(text).map((j) => j.metadata.name)).toEqual(['a', 'b']);
  });

  it('reads JSON, including tab-indented JSON', () => {
    expect(loadJobSets(JSON.stringify(jobSet('a').obj(), null, '\t'))[0]?.metadata.name).toBe('a');
  });

  it('reads a List and a JobSetList', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [jobSet('a').obj(), jobSet('b').obj()] };
    expect(loadJobSets(yamlOf(list)).map((j) => j.metadata.name)).toEqual(['a', 'b']);
    expect(loadJobSets(JSON.stringify({ ...list, kind: 'JobSetList' })).map((j) => j.metadata.name)).toEqual(['a', 'b']);
  });

  it('paths inside a List start at its item', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [jobSet('a').obj(), jobSet('B').obj()] };
    expect(issuesOf(() => loadJobSets(yamlOf(list))).map((i) => i.path)).toEqual(['items[1].metadata.name', 'items[1].spec.replicatedJobs[0].name']);
  });

  it('numbers documents when there are several, and reports every document', () => {
    const text = yamlOf(jobSet('a').obj(), jobSet('b').replicatedJobs(rjob('w').groupName('G')).obj(), { metadata: { name: 'c' } });
    expect(issuesOf(() => loadJobSets(text))).toEqual([
      { path: 'spec.replicatedJobs[0].groupName', message: expect.stringMatching(/DNS-1035/), document: 2 },
      { path: 'spec', message: 'Required value', document: 3 },
    ]);
  });

  it('a single document is not numbered', () => {
    expect(issuesOf(() => loadJobSets(yamlOf({ metadata: { name: 'c' } })))).toEqual([{ path: 'spec', message: 'Required value' }]);
  });

  it.each([
    ['bad indentation', 'metadata:\n  name: a\n   spec: {}\n', 1, /^unreadable YAML: line 2, column 9: Nested mappings are not allowed/],
    ['an unclosed flow sequence', 'spec: [1, 2\n', 1, /^unreadable YAML: line 2, column 1: /],
    ['a duplicate key', 'metadata: {}\nmetadata: {}\n', 1, /^unreadable YAML: line 2, column 1: Map keys must be unique$/],
    ['an undefined alias', 'spec: *nothing\n', 1, /^unreadable YAML: .*nothing/],
    [
      'a cyclic alias',
      'metadata: {name: a}\nspec:\n  replicatedJobs:\n  - &r {name: w, template: {spec: {template: {spec: {containers: [{name: c, x: *r}]}}}}}\n',
      1,
      /^unreadable YAML: an alias refers to a node that contains it$/,
    ],
    ['broken JSON', '{"metadata": {"name": "a"}', 1, /^unreadable YAML: /],
    ['a broken second document', `${yamlOf(jobSet('a').obj())}---\nspec: [\n`, 2, /^unreadable YAML: line \d+, column \d+: /],
  ])('refuses %s, naming the document', (_name, text, doc, message) => {
    const issues = issuesOf(() => loadJobSets(text));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toEqual({ path: `(document ${doc})`, message: expect.stringMatching(message) });
  });

  it.each(['', '\n', '# only a comment\n', '---\n---\n', 'kind: List\nitems: []\n'])('refuses input without a JobSet: %j', (text) => {
    expect(issuesOf(() => loadJobSets(text))).toEqual([{ path: '(root)', message: 'no JobSet found in the input' }]);
  });

  it('refuses a document that is not a JobSet', () => {
    const text = yamlOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} });
    expect(issuesOf(() => loadJobSets(text)).map((i) => i.path)).toEqual(['apiVersion', 'kind']);
  });

  it('an upstream failure-policy message maps to the reason field', () => {
    const text = yamlOf(
      jobSet()
        .set('failurePolicy', { rules: [{ action: 'FailJobSet', onJobFailureReasons: ['Evicted'] }] })
        .obj(),
    );
    expect(issuesOf(() => loadJobSets(text))).toEqual([{ path: 'spec.failurePolicy.rules[0].onJobFailureReasons[0]', message: M.FailureReason('Evicted') }]);
  });
});
