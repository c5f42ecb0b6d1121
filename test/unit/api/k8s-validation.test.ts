// The apimachinery name checks, against apimachinery's own messages and boundary cases.
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDomainPrefixedPath,
  isValidLabelValue,
  simulateGeneratedName,
} from '../../../src/api/k8s-validation.js';

const label1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const label1123 =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomain =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelValue =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value' or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

it.each([
  [isDNS1035Label, 'my-name', []],
  [isDNS1035Label, 'a'.repeat(63), []],
  [isDNS1035Label, 'a'.repeat(64), ['must be no more than 63 characters']],
  [isDNS1035Label, '1abc', [label1035]],
  [isDNS1035Label, 'abc-', [label1035]],
  [isDNS1035Label, '', [label1035]],
  [isDNS1035Label, 'A'.repeat(64), ['must be no more than 63 characters', label1035]],
  [isDNS1035Label, 'abc\n', [label1035]],
  [isDNS1123Label, '123-abc', []],
  [isDNS1123Label, 'a.b', [label1123]],
  [isDNS1123Subdomain, 'example.com', []],
  [isDNS1123Subdomain, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, []],
  [isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
  [isDNS1123Subdomain, 'a..b', [subdomain]],
  [isDNS1123Subdomain, 'Example.com', [subdomain]],
  [isValidLabelValue, '', []],
  [isValidLabelValue, 'My_value.1', []],
  [isValidLabelValue, 'a.example', []],
  [isValidLabelValue, '_a', [labelValue]],
  [isValidLabelValue, 'a'.repeat(64), ['must be no more than 63 characters']],
])('%p(%j) -> %j', (fn, value, want) => {
  expect(fn(value)).toEqual(want);
});

it.each([
  ['acme.io/foo', []],
  ['acme.io/foo/bar~baz', []],
  ['', ['Required value']],
  ['acme.io', ['Invalid value: "acme.io": must be a domain-prefixed path (such as "acme.io/foo")']],
  ['/foo', ['Invalid value: "/foo": must be a domain-prefixed path (such as "acme.io/foo")']],
  ['acme.io/', ['Invalid value: "acme.io/": must be a domain-prefixed path (such as "acme.io/foo")']],
  ['Acme/foo', [`Invalid value: "Acme": ${subdomain}`]],
])('isDomainPrefixedPath(%j) -> %j', (value, want) => {
  expect(isDomainPrefixedPath(value)).toEqual(want);
});

it.each([
  ['train-', 'train-abcde'],
  ['x'.repeat(70), `${'x'.repeat(58)}abcde`],
])('generateName %j becomes %j (63 characters at most)', (prefix, want) => {
  expect(simulateGeneratedName(prefix)).toBe(want);
  expect(simulateGeneratedName(prefix).length).toBeLessThanOrEqual(63);
});
