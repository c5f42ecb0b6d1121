import { createHash } from 'node:crypto';

import {
  JobSetNameMissingError,
  coordinatorEndpoint,
  jobKey,
  jobName,
  jobSetName,
  jobSetNamespace,
  podHostname,
  pvcName,
  subdomain,
} from '../../../src/core/naming.js';
import { makeJobSet, makeReplicatedJob } from './builders.js';
import { workflowId } from '../../../workflows/contract.js';

const base = () => makeJobSet('train', 'team-a').replicatedJob(makeReplicatedJob('driver').completions(2).parallelism(2));

test('jobName is <js>-<rjob>-<idx>', () => {
  expect(jobName('train', 'workers', 3)).toBe('train-workers-3');
});

test('podHostname is <js>-<rjob>-<jobIdx>-<podIdx>', () => {
  expect(podHostname('train', 'workers', 3, 7)).toBe('train-workers-3-7');
});

test('jobKey is the SHA-1 of <ns>/<job>', () => {
  const key = jobKey('team-a', 'train-workers-0');
  expect(key).toBe(createHash('sha1').update('team-a/train-workers-0').digest('hex'));
  expect(key).toHaveLength(40);
});

test.each([
  ['defaults to the JobSet name', base().obj(), 'train'],
  ['takes network.subdomain', base().network({ subdomain: 'net' }).obj(), 'net'],
])('subdomain %s', (_, js, want) => {
  expect(subdomain(js)).toBe(want);
});

test.each([
  ['absent without spec.coordinator', base().obj(), undefined],
  ['with defaults (0, 0) and the default subdomain', base().coordinator({ replicatedJob: 'driver' }).obj(), 'train-driver-0-0.train'],
  [
    'with explicit indexes and subdomain',
    base().coordinator({ replicatedJob: 'driver', jobIndex: 0, podIndex: 1 }).network({ subdomain: 'net' }).obj(),
    'train-driver-0-1.net',
  ],
])('coordinatorEndpoint %s', (_, js, want) => {
  expect(coordinatorEndpoint(js)).toBe(want);
});

test('workflowId is jobset/<ns>/<name>', () => {
  expect(workflowId('team-a', 'train')).toBe('jobset/team-a/train');
});

test('pvcName is <template>-<js>', () => {
  expect(pvcName('ckpt', 'train')).toBe('ckpt-train');
});

test('namespace defaults to "default"', () => {
  const js = base().obj();
  expect(jobSetNamespace(js)).toBe('team-a');
  delete js.metadata.namespace;
  expect(jobSetNamespace(js)).toBe('default');
});

test('a JobSet without a name is a programming error', () => {
  const js = base().obj();
  delete js.metadata.name;
  expect(() => jobSetName(js)).toThrow(JobSetNameMissingError);
  expect(() => subdomain(js)).toThrow(JobSetNameMissingError);
});
