// Create validation, one table row per rule of docs/design.md §2.2/§2.3 (and the deliberate
// differences): each rule has accepting rows and rejecting rows, and a rejecting row states the
// exact issues (path and message) it expects.
import { Label } from '../../../src/api/constants.js';
import type { FieldIssue } from '../../../src/api/errors.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from '../../../src/api/k8s-validation.js';
import { MaxPodsPerJobSet } from '../../../src/api/limits.js';
import { safeParseJobSet } from '../../../src/api/parse.js';
import { ValidationMessage as M } from '../../../src/api/messages.js';
import { type JobSet, type JobSetInput, jobSetSchema } from '../../../src/api/schema.js';
import { validateCreate } from '../../../src/api/validate.js';
import { jobSet, rjob } from './builders.js';

const dns1035 = isDNS1035Label('A')[0] as string; // the DNS-1035 pattern message
const subdomainPattern = isDNS1123Subdomain('A')[0] as string;
const issue = (path: string, message: string): FieldIssue => ({ path, message });
const name = (n: number, c = 'a') => c.repeat(n);

interface Case {
  name: string;
  input: JobSetInput;
  want: FieldIssue[];
}

const check = ({ input, want }: Case) => {
  const js = jobSetSchema.parse(input);
  expect(validateCreate(js)).toEqual(want);
};

describe('metadata (API server)', () => {
  it.each<Case>([
    {
      name: 'a dotted name: a valid JobSet name, but not in its Job names',
      input: jobSet('my.jobset-1').obj(),
      want: [issue('spec.replicatedJobs[0].name', dns1035)],
    },
    { name: 'a plain name', input: jobSet('js').obj(), want: [] },
    { name: 'no name and no generateName', input: jobSet(null).obj(), want: [issue('metadata.name', M.NameRequired)] },
    {
      name: 'a name that is not a DNS subdomain',
      input: jobSet('Bad_Name').obj(),
      want: [issue('metadata.name', subdomainPattern), issue('spec.replicatedJobs[0].name', dns1035)],
    },
    { name: 'generateName', input: jobSet(null).meta('generateName', 'train-').obj(), want: [] },
    {
      name: 'generateName that is not a DNS subdomain prefix',
      input: jobSet(null).meta('generateName', 'Train-').obj(),
      want: [issue('metadata.generateName', subdomainPattern), issue('spec.replicatedJobs[0].name', dns1035)],
    },
    { name: 'a DNS label namespace', input: jobSet().meta('namespace', 'team-a').obj(), want: [] },
    {
      name: 'a namespace that is not a DNS label',
      input: jobSet().meta('namespace', 'team.a').obj(),
      want: [issue('metadata.namespace', isDNS1123Label('team.a')[0] as string)],
    },
  ])('$name', check);
});

describe('restart strategy (§2.3.1)', () => {
  it.each<Case>([
    { name: 'Recreate', input: jobSet().set('failurePolicy', { restartStrategy: 'Recreate' }).obj(), want: [] },
    { name: 'BlockingRecreate', input: jobSet().set('failurePolicy', { restartStrategy: 'BlockingRecreate' }).obj(), want: [] },
    {
      name: 'InPlaceRestart is refused as unsupported',
      input: jobSet().set('failurePolicy', { restartStrategy: 'InPlaceRestart' }).obj(),
      want: [issue('spec.failurePolicy.restartStrategy', M.InPlaceRestartUnsupported)],
    },
  ])('$name', check);
});

describe('dependsOn and startupPolicy (§2.3.2, §2.3.5, CEL)', () => {
  const a = () => rjob('a');
  it.each<Case>([
    {
      name: 'on the previous rjob',
      input: jobSet()
        .replicatedJobs(a(), rjob('b').dependsOn(['a', 'Complete']))
        .obj(),
      want: [],
    },
    {
      name: 'on several earlier rjobs',
      input: jobSet()
        .replicatedJobs(a(), rjob('b'), rjob('c').dependsOn(['a', 'Complete'], ['b', 'Ready']))
        .obj(),
      want: [],
    },
    {
      name: 'on the first rjob',
      input: jobSet()
        .replicatedJobs(rjob('a').dependsOn(['b', 'Ready']), rjob('b'))
        .obj(),
      want: [issue('spec.replicatedJobs[0].dependsOn', M.DependsOnFirstReplicatedJob)],
    },
    { name: 'no dependsOn at all', input: jobSet().replicatedJobs(a(), rjob('b')).obj(), want: [] },
    {
      name: 'on a later rjob',
      input: jobSet()
        .replicatedJobs(a(), rjob('b').dependsOn(['c', 'Ready']), rjob('c'))
        .obj(),
      want: [issue('spec.replicatedJobs[1].dependsOn[0].name', M.CannotDependOn('b', 'c'))],
    },
    {
      name: 'on an unknown rjob',
      input: jobSet()
        .replicatedJobs(a(), rjob('b').dependsOn(['a', 'Ready'], ['x', 'Ready']))
        .obj(),
      want: [issue('spec.replicatedJobs[1].dependsOn[1].name', M.CannotDependOn('b', 'x'))],
    },
    {
      name: 'on itself',
      input: jobSet()
        .replicatedJobs(a(), rjob('b').dependsOn(['b', 'Ready']))
        .obj(),
      want: [issue('spec.replicatedJobs[1].dependsOn[0].name', M.CannotDependOn('b', 'b'))],
    },
    {
      name: 'the same rjob twice',
      input: jobSet()
        .replicatedJobs(a(), rjob('b').dependsOn(['a', 'Ready'], ['a', 'Complete']))
        .obj(),
      want: [issue('spec.replicatedJobs[1].dependsOn[1].name', M.Duplicate('a'))],
    },
    {
      name: 'InOrder without dependsOn',
      input: jobSet().replicatedJobs(a(), rjob('b')).set('startupPolicy', { startupPolicyOrder: 'InOrder' }).obj(),
      want: [],
    },
    {
      name: 'InOrder together with dependsOn',
      input: jobSet()
        .replicatedJobs(a(), rjob('b').dependsOn(['a', 'Ready']))
        .set('startupPolicy', { startupPolicyOrder: 'InOrder' })
        .obj(),
      want: [issue('spec.startupPolicy', M.StartupPolicyDependsOnExclusive)],
    },
  ])('$name', check);

  it('an empty dependsOn list on the first rjob is refused, as upstream (a Go nil check)', () => {
    const input = jobSet().obj();
    (input.spec.replicatedJobs as { dependsOn?: unknown[] }[])[0]!.dependsOn = [];
    check({ name: '', input, want: [issue('spec.replicatedJobs[0].dependsOn', M.DependsOnFirstReplicatedJob)] });
  });
});

describe('network.subdomain (§2.3.3)', () => {
  const withSubdomain = (s: string) => jobSet().set('network', { subdomain: s }).obj();
  it.each<Case>([
    { name: 'a DNS-1035 label', input: withSubdomain('example'), want: [] },
    { name: '63 characters', input: withSubdomain(name(63)), want: [] },
    {
      name: 'upper case: neither a subdomain nor a label',
      input: withSubdomain('Example'),
      want: [issue('spec.network.subdomain', subdomainPattern), issue('spec.network.subdomain', dns1035)],
    },
    { name: 'a leading digit: a subdomain but not a DNS-1035 label', input: withSubdomain('1abc'), want: [issue('spec.network.subdomain', dns1035)] },
    { name: 'a dot: a subdomain but not a label', input: withSubdomain('a.b'), want: [issue('spec.network.subdomain', dns1035)] },
    { name: '64 characters', input: withSubdomain(name(64)), want: [issue('spec.network.subdomain', M.SubdomainTooLong)] },
  ])('$name', check);
});

describe('managedBy (§2.3.4)', () => {
  const withManagedBy = (s: string) => jobSet().set('managedBy', s).obj();
  it.each<Case>([
    { name: 'a domain-prefixed path', input: withManagedBy('kueue.x-k8s.io/multikueue'), want: [] },
    { name: 'the upstream controller', input: withManagedBy('jobset.sigs.k8s.io/jobset-controller'), want: [] },
    { name: 'empty', input: withManagedBy(''), want: [issue('spec.managedBy', 'Required value')] },
    {
      name: 'no path',
      input: withManagedBy('kueue'),
      want: [issue('spec.managedBy', 'Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")')],
    },
    {
      name: 'a host that is not a subdomain',
      input: withManagedBy('Kueue/x'),
      want: [issue('spec.managedBy', `Invalid value: "Kueue": ${subdomainPattern}`)],
    },
    {
      name: 'a path with characters outside RFC 3986',
      input: withManagedBy('kueue.io/a b'),
      want: [issue('spec.managedBy', `Invalid value: "a b": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`)],
    },
    { name: '64 characters', input: withManagedBy(`kueue.io/${name(55)}`), want: [issue('spec.managedBy', M.TooLong(63))] },
  ])('$name', check);
});

describe('replicatedJobs (§2.3.5)', () => {
  // `<js>-w-9`: a 59-character JobSet name makes the longest Job name 63 characters.
  const js59 = name(59);
  it.each<Case>([
    { name: 'distinct names', input: jobSet().replicatedJobs(rjob('a'), rjob('b')).obj(), want: [] },
    {
      name: 'a repeated name (list-map key)',
      input: jobSet().replicatedJobs(rjob('a'), rjob('a')).obj(),
      want: [issue('spec.replicatedJobs[1].name', M.Duplicate('a'))],
    },
    // Upstream's product bound; our pod limit (limits.test.ts) refuses both JobSets long before it.
    {
      name: 'replicas x parallelism = MaxInt32',
      input: jobSet().replicatedJobs(rjob('w').jobSpecField('parallelism', 2147483647)).obj(),
      want: [issue('spec.replicatedJobs', M.TooManyPods(2147483647, MaxPodsPerJobSet))],
    },
    {
      name: 'replicas x parallelism > MaxInt32',
      input: jobSet().replicatedJobs(rjob('w').replicas(2).jobSpecField('parallelism', 1073741824)).obj(),
      want: [
        issue('spec.replicatedJobs', M.TooManyPods(2147483648, MaxPodsPerJobSet)),
        issue('spec.replicatedJobs[0].replicas', M.ReplicasTimesParallelism('w')),
      ],
    },
    { name: 'a DNS-1035 group name', input: jobSet().replicatedJobs(rjob('w').groupName('training')).obj(), want: [] },
    {
      name: 'a group name that is not a DNS-1035 label',
      input: jobSet().replicatedJobs(rjob('w').groupName('Training')).obj(),
      want: [issue('spec.replicatedJobs[0].groupName', dns1035)],
    },
    {
      name: 'a 64-character group name',
      input: jobSet()
        .replicatedJobs(rjob('w').groupName(name(64)))
        .obj(),
      want: [issue('spec.replicatedJobs[0].groupName', M.GroupNameTooLong)],
    },
    {
      name: 'an rjob name that makes invalid Job names',
      input: jobSet().replicatedJobs(rjob('username.llama65b')).obj(),
      want: [issue('spec.replicatedJobs[0].name', dns1035)],
    },
    { name: 'the longest Job name has 63 characters', input: jobSet(js59).replicatedJobs(rjob('w').replicas(10)).obj(), want: [] },
    {
      name: 'the longest Job name has 64 characters (replicas 11 adds a digit)',
      input: jobSet(js59).replicatedJobs(rjob('w').replicas(11)).obj(),
      want: [issue('spec.replicatedJobs[0].name', M.JobNameTooLong)],
    },
    {
      name: 'generateName is measured as the generated name (58 + 5 characters)',
      input: jobSet(null).meta('generateName', name(70)).obj(),
      want: [issue('spec.replicatedJobs[0].name', M.JobNameTooLong)],
    },
    // `<js>-w-0-9-abcde`: a 51-character JobSet name makes the longest Pod name 63 characters.
    { name: 'the longest Pod name has 63 characters', input: jobSet(name(51)).replicatedJobs(rjob('w').pods(10)).obj(), want: [] },
    {
      name: 'the longest Pod name has 64 characters',
      input: jobSet(name(51)).replicatedJobs(rjob('w').pods(11)).obj(),
      want: [issue('spec.replicatedJobs[0].name', M.PodNameTooLong)],
    },
    {
      name: 'Pod names are not checked for NonIndexed Jobs',
      input: jobSet(name(51)).replicatedJobs(rjob('w').pods(11).jobSpecField('completionMode', 'NonIndexed')).obj(),
      want: [],
    },
    {
      name: 'Pod names are not checked without completions',
      input: jobSet(name(51)).replicatedJobs(rjob('w').jobSpecField('parallelism', 11)).obj(),
      want: [],
    },
  ])('$name', check);
});

describe('successPolicy (§2.3.6)', () => {
  const withTargets = (...t: string[]) =>
    jobSet().replicatedJobs(rjob('a'), rjob('b')).set('successPolicy', { operator: 'All', targetReplicatedJobs: t }).obj();
  it.each<Case>([
    { name: 'targets that exist', input: withTargets('b', 'a'), want: [] },
    {
      name: 'a target that does not exist',
      input: withTargets('a', 'c'),
      want: [issue('spec.successPolicy.targetReplicatedJobs[1]', M.SuccessPolicyTarget('c'))],
    },
  ])('$name', check);
});

describe('failurePolicy (§2.3.7)', () => {
  const withRules = (rules: unknown[], ...rjobs: ReturnType<typeof rjob>[]) =>
    jobSet()
      .replicatedJobs(...(rjobs.length > 0 ? rjobs : [rjob('w')]))
      .set('failurePolicy', { maxRestarts: 1, rules })
      .obj();
  it.each<Case>([
    { name: 'RestartJob with 1024 replicas (no gate needed)', input: withRules([{ action: 'RestartJob' }], rjob('w').replicas(1024)), want: [] },
    {
      name: 'RestartJob with 1025 replicas',
      input: withRules([{ action: 'RestartJob' }], rjob('a'), rjob('w').replicas(1025)),
      want: [issue('spec.replicatedJobs[1].replicas', M.RestartJobReplicas)],
    },
    {
      name: 'RestartJobAndIgnoreMaxRestarts with 1025 replicas',
      input: withRules([{ action: 'RestartJobAndIgnoreMaxRestarts' }], rjob('w').replicas(1025)),
      want: [issue('spec.replicatedJobs[0].replicas', M.RestartJobReplicas)],
    },
    { name: '1025 replicas without a RestartJob rule', input: withRules([{ action: 'RestartJobSet' }], rjob('w').replicas(1025)), want: [] },
    { name: 'a 128-character rule name', input: withRules([{ name: name(128), action: 'FailJobSet' }]), want: [] },
    {
      name: 'a 129-character rule name',
      input: withRules([{ name: name(129), action: 'FailJobSet' }]),
      want: [issue('spec.failurePolicy.rules[0].name', M.RuleNameLength(129))],
    },
    { name: 'a rule name with _ , :', input: withRules([{ name: 'a_b:c,d_', action: 'FailJobSet' }]), want: [] },
    ...['1rule', 'a-b', 'ab,', 'ab:'].map((n) => ({
      name: `rule name ${n}`,
      input: withRules([{ name: n, action: 'FailJobSet' }]),
      want: [issue('spec.failurePolicy.rules[0].name', M.RuleNameFormat(n))],
    })),
    {
      name: 'unnamed rules get distinct default names',
      input: withRules([{ action: 'FailJobSet' }, { action: 'RestartJobSet' }]),
      want: [],
    },
    {
      name: 'a repeated rule name',
      input: withRules([
        { name: 'x', action: 'FailJobSet' },
        { name: 'y', action: 'FailJobSet' },
        { name: 'x', action: 'RestartJobSet' },
      ]),
      want: [issue('spec.failurePolicy.rules[2].name', M.RuleNamesNotUnique([0, 2], 'x'))],
    },
    {
      name: 'a default name that repeats an explicit one (as upstream)',
      input: withRules([{ name: 'failurePolicyRule1', action: 'FailJobSet' }, { action: 'RestartJobSet' }]),
      want: [issue('spec.failurePolicy.rules[1].name', M.RuleNamesNotUnique([0, 1], 'failurePolicyRule1'))],
    },
    { name: 'targets that exist', input: withRules([{ action: 'FailJobSet', targetReplicatedJobs: ['w'] }]), want: [] },
    {
      name: 'a target that does not exist',
      input: withRules([{ action: 'FailJobSet', targetReplicatedJobs: ['w', 'x'] }]),
      want: [issue('spec.failurePolicy.rules[0].targetReplicatedJobs[1]', M.FailurePolicyTarget('x'))],
    },
    {
      name: 'every valid failure reason',
      input: withRules([
        {
          action: 'FailJobSet',
          onJobFailureReasons: ['BackoffLimitExceeded', 'DeadlineExceeded', 'FailedIndexes', 'MaxFailedIndexesExceeded', 'PodFailurePolicy'],
        },
      ]),
      want: [],
    },
    {
      name: 'message patterns in RE2 syntax',
      input: withRules([
        { action: 'FailJobSet', onJobFailureMessagePatterns: ['(?i)out of memory', '^Job .* failed$', 'exit code (?i:[[:digit:]]+)\\z', '\\pL'] },
      ]),
      want: [],
    },
    {
      name: 'a message pattern that is not a regular expression',
      input: withRules([{ action: 'FailJobSet', onJobFailureMessagePatterns: ['ok', '(unclosed'] }]),
      want: [
        issue(
          'spec.failurePolicy.rules[0].onJobFailureMessagePatterns[1]',
          M.InvalidMessagePattern('(unclosed', 'error parsing regexp: missing closing ): `(unclosed`'),
        ),
      ],
    },
  ])('$name', check);

  it('an unknown failure reason is refused with the upstream message when loaded', () => {
    const result = safeParseJobSet(withRules([{ action: 'FailJobSet', onJobFailureReasons: ['PodFailurePolicy', 'OOMKilled'] }]));
    expect(result).toEqual({
      success: false,
      issues: [issue('spec.failurePolicy.rules[0].onJobFailureReasons[1]', M.FailureReason('OOMKilled'))],
    });
  });

  it('an unknown failure reason in an object built in code is refused by validateCreate too', () => {
    const js = jobSetSchema.parse(withRules([{ action: 'FailJobSet' }]));
    const bad = {
      ...js,
      spec: { ...js.spec, failurePolicy: { ...js.spec.failurePolicy!, rules: [{ ...js.spec.failurePolicy!.rules[0]!, onJobFailureReasons: ['OOMKilled'] }] } },
    } as unknown as JobSet;
    expect(validateCreate(bad)).toEqual([issue('spec.failurePolicy.rules[0].onJobFailureReasons[0]', M.FailureReason('OOMKilled'))]);
  });
});

describe('coordinator (§2.3.8)', () => {
  const driver = () => rjob('driver').replicas(2).pods(4);
  const withCoordinator = (c: Record<string, unknown>, ...rjobs: ReturnType<typeof rjob>[]) =>
    jobSet()
      .replicatedJobs(...(rjobs.length > 0 ? rjobs : [driver()]))
      .set('coordinator', c)
      .obj();
  // With a 40-character JobSet name the endpoint `<js>-driver-0-0.<js>` has 92 characters.
  const longName = name(40);
  const longEndpoint = `${longName}-driver-0-0.${longName}`;
  it.each<Case>([
    { name: 'the first pod of the first Job', input: withCoordinator({ replicatedJob: 'driver' }), want: [] },
    { name: 'the last pod of the last Job', input: withCoordinator({ replicatedJob: 'driver', jobIndex: 1, podIndex: 3 }), want: [] },
    {
      name: 'an rjob that does not exist',
      input: withCoordinator({ replicatedJob: 'leader' }),
      want: [issue('spec.coordinator.replicatedJob', M.CoordinatorRjobMissing('leader'))],
    },
    {
      name: 'jobIndex = replicas',
      input: withCoordinator({ replicatedJob: 'driver', jobIndex: 2 }),
      want: [issue('spec.coordinator.jobIndex', M.CoordinatorJobIndex(2, 'driver'))],
    },
    {
      name: 'a NonIndexed rjob',
      input: withCoordinator({ replicatedJob: 'driver' }, driver().jobSpecField('completionMode', 'NonIndexed')),
      want: [issue('spec.coordinator.replicatedJob', M.CoordinatorIndexed)],
    },
    {
      name: 'an rjob without completions',
      input: withCoordinator({ replicatedJob: 'driver' }, rjob('driver')),
      want: [issue('spec.coordinator.replicatedJob', M.CoordinatorIndexed)],
    },
    {
      name: 'podIndex = completions',
      input: withCoordinator({ replicatedJob: 'driver', podIndex: 4 }),
      want: [issue('spec.coordinator.podIndex', M.CoordinatorPodIndex(4, 'driver', 0))],
    },
    {
      name: 'an endpoint that fits a label value thanks to a short subdomain',
      input: jobSet(longName).replicatedJobs(driver()).set('coordinator', { replicatedJob: 'driver' }).set('network', { subdomain: 'svc' }).obj(),
      want: [],
    },
    {
      name: 'an endpoint longer than a label value',
      input: jobSet(longName).replicatedJobs(driver()).set('coordinator', { replicatedJob: 'driver' }).obj(),
      want: [issue('spec.coordinator', M.CoordinatorLabelValue(longEndpoint, Label.Coordinator, ['must be no more than 63 characters']))],
    },
  ])('$name', check);
});

describe('volumeClaimPolicies (§2.3.9, CEL)', () => {
  const template = (n: string, extra: Record<string, unknown> = {}) => ({ metadata: { name: n, ...extra }, spec: { accessModes: ['ReadWriteMany'] } });
  const withPolicies = (policies: unknown[], ...rjobs: ReturnType<typeof rjob>[]) =>
    jobSet()
      .replicatedJobs(...(rjobs.length > 0 ? rjobs : [rjob('w').mount('data')]))
      .set('volumeClaimPolicies', policies)
      .obj();
  const at = (p: number, t: number, f = 'name') => `spec.volumeClaimPolicies[${p}].templates[${t}].metadata.${f}`;
  it.each<Case>([
    { name: 'a template mounted by a container', input: withPolicies([{ templates: [template('data')] }]), want: [] },
    {
      name: 'a template mounted only by an init container of another rjob',
      input: withPolicies([{ templates: [template('data')] }], rjob('a'), rjob('b').mount('data', 'initContainers')),
      want: [],
    },
    {
      name: 'a template nobody mounts',
      input: withPolicies([{ templates: [template('data'), template('cache')] }]),
      want: [issue(at(0, 1), M.VolumeClaimNotMounted('cache'))],
    },
    {
      name: 'the same template name in two policies',
      input: withPolicies([{ templates: [template('data')] }, { templates: [template('data')] }]),
      want: [issue(at(1, 0), M.VolumeClaimNameNotUnique)],
    },
    {
      name: 'a template name that is not a DNS subdomain',
      input: withPolicies([{ templates: [template('Data')] }], rjob('w').mount('Data')),
      want: [issue(at(0, 0), subdomainPattern)],
    },
    // `<template>-js`: a 60-character template name makes a 63-character PVC name.
    { name: 'a 63-character PVC name', input: withPolicies([{ templates: [template(name(60, 'd'))] }], rjob('w').mount(name(60, 'd'))), want: [] },
    {
      name: 'a 64-character PVC name',
      input: withPolicies([{ templates: [template(name(61, 'd'))] }], rjob('w').mount(name(61, 'd'))),
      want: [issue(at(0, 0), M.VolumeClaimNameTooLong)],
    },
    {
      name: 'an rjob volume with the template name',
      input: withPolicies(
        [{ templates: [template('data')] }],
        rjob('w')
          .mount('data')
          .podSpecField('volumes', [
            { name: 'scratch', emptyDir: {} },
            { name: 'data', emptyDir: {} },
          ]),
      ),
      want: [issue('spec.replicatedJobs[0].template.spec.template.spec.volumes[1].name', M.VolumeNameConflict('data'))],
    },
    { name: 'an empty namespace', input: withPolicies([{ templates: [template('data', { namespace: '' })] }]), want: [] },
    {
      name: 'a namespace',
      input: withPolicies([{ templates: [template('data', { namespace: 'other' })] }]),
      want: [issue(at(0, 0, 'namespace'), M.VolumeClaimNamespace)],
    },
  ])('$name', check);
});

describe('status list-map keys (CRD)', () => {
  const cond = (type: string) => ({ type, status: 'True', reason: 'R', message: 'm', lastTransitionTime: '2026-01-01T00:00:00Z' });
  const rjs = (n: string) => ({ name: n, ready: 0, succeeded: 0, failed: 0, active: 0, suspended: 0 });
  it.each<Case>([
    {
      name: 'distinct keys',
      input: jobSet()
        .status({ conditions: [cond('Suspended'), cond('Failed')], replicatedJobsStatus: [rjs('w'), rjs('x')] })
        .obj(),
      want: [],
    },
    {
      name: 'a repeated condition type',
      input: jobSet()
        .status({ conditions: [cond('Failed'), cond('Failed')] })
        .obj(),
      want: [issue('status.conditions[1].type', M.Duplicate('Failed'))],
    },
    {
      name: 'a repeated replicatedJobsStatus name',
      input: jobSet()
        .status({ replicatedJobsStatus: [rjs('w'), rjs('w')] })
        .obj(),
      want: [issue('status.replicatedJobsStatus[1].name', M.Duplicate('w'))],
    },
  ])('$name', check);
});

it('reports every problem of a JobSet at once, in rule order', () => {
  const input = jobSet('js')
    .replicatedJobs(rjob('a').dependsOn(['b', 'Ready']), rjob('b').groupName('G'))
    .set('network', { subdomain: 'a.b' })
    .set('successPolicy', { operator: 'Any', targetReplicatedJobs: ['z'] })
    .obj();
  expect(validateCreate(jobSetSchema.parse(input)).map((i) => i.path)).toEqual([
    'spec.replicatedJobs[0].dependsOn',
    'spec.network.subdomain',
    'spec.replicatedJobs[1].groupName',
    'spec.successPolicy.targetReplicatedJobs[0]',
  ]);
});
