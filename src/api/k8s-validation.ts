// The Kubernetes name checks the upstream webhook relies on (k8s.io/apimachinery
// pkg/util/validation), with the same regular expressions and the same messages, so a user who
// moves between upstream JobSet and this project reads identical errors.

/** Kubernetes DNS label and label-value limit. */
export const DNS1123LabelMaxLength = 63;
export const DNS1123SubdomainMaxLength = 253;
export const DNS1035LabelMaxLength = 63;
export const LabelValueMaxLength = 63;

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const labelValueFmt = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

const anchored = (fmt: string) => new RegExp(`^${fmt}$`);
const dns1123LabelRe = anchored(dns1123LabelFmt);
const dns1123SubdomainRe = anchored(dns1123SubdomainFmt);
const dns1035LabelRe = anchored(dns1035LabelFmt);
const labelValueRe = anchored(labelValueFmt);
const httpPathRe = anchored(httpPathFmt);

/** apimachinery `MaxLenError`. */
export const maxLenError = (length: number): string => `must be no more than ${length} characters`;

/** apimachinery `RegexError`: the message, examples, and the regular expression used. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}'`).join(' or ')}, regex used for validation is '${fmt}')`;
}

// Go measures string length in bytes; names are ASCII when valid, and for invalid names the
// regex error is reported anyway, so byte length only matters for the length message.
const byteLength = (s: string): number => new TextEncoder().encode(s).length;

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123LabelMaxLength) errs.push(maxLenError(DNS1123LabelMaxLength));
  if (!dns1123LabelRe.test(value)) errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035LabelMaxLength) errs.push(maxLenError(DNS1035LabelMaxLength));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LabelValueMaxLength) errs.push(maxLenError(LabelValueMaxLength));
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

/**
 * apimachinery `IsDomainPrefixedPath` (used for `spec.managedBy`): `<DNS-1123 subdomain>/<HTTP
 * path>`. Returns detail messages only; the caller attaches the field path.
 */
export function isDomainPrefixedPath(value: string): string[] {
  if (value.length === 0) return ['Required value'];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const path = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || path.length === 0) {
    return [`Invalid value: ${JSON.stringify(value)}: must be a domain-prefixed path (such as "acme.io/foo")`];
  }
  const errs = isDNS1123Subdomain(host).map((e) => `Invalid value: ${JSON.stringify(host)}: ${e}`);
  if (!httpPathRe.test(path)) {
    errs.push(`Invalid value: ${JSON.stringify(path)}: ${regexError('Invalid path', httpPathFmt)}`);
  }
  return errs;
}

/**
 * The name the API server would give an object created with `generateName`
 * (`names.SimpleNameGenerator`): the prefix cut to 58 characters plus 5 random characters.
 * Validation needs a concrete name to measure generated Job and Pod names (upstream #1267); the
 * random part is fixed here so the result is deterministic.
 */
export function simulateGeneratedName(generateName: string): string {
  const maxGeneratedNameLength = 63 - 5;
  return generateName.slice(0, maxGeneratedNameLength) + 'abcde';
}
