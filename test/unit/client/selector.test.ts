// Label selectors of `list` / `jobset get -l`, evaluated on the client as Kubernetes does.
import { InvalidLabelSelectorError, matchesLabels, parseLabelSelector } from '../../../src/client/index.js';

const labels = { team: 'a', tier: 'gpu', 'example.com/owner': 'me' };
const matches = (selector: string) => matchesLabels(parseLabelSelector(selector), labels);

test.each([
  ['', true],
  ['team=a', true],
  ['team==a', true],
  ['team=b', false],
  ['team!=b', true],
  ['team!=a', false],
  ['missing!=x', true],
  ['team', true],
  ['missing', false],
  ['!missing', true],
  ['!team', false],
  ['team in (a, b)', true],
  ['team in (b,c)', false],
  ['team notin (b,c)', true],
  ['missing notin (b)', true],
  ['team=a,tier=gpu', true],
  ['team=a,tier=cpu', false],
  ['team in (a,b),!missing,example.com/owner=me', true],
])('%j matches: %s', (selector, expected) => {
  expect(matches(selector)).toBe(expected);
});

test.each(['team=(a', 'team in (a', '=a', 'te am=a', 'team=a,,tier=gpu', 'team=a b'])('%j is refused with InvalidLabelSelectorError', (selector) => {
  expect(() => parseLabelSelector(selector)).toThrow(InvalidLabelSelectorError);
});
