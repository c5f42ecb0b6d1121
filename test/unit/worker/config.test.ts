// The worker's configuration from the environment: defaults, coercion, and errors naming the variable.
import { loadWorkerConfig } from '../../../worker/config.js';

test('defaults: local Temporal, task queue jobset, 2000 activities, the SDK cache size, no HTTP', () => {
  const config = loadWorkerConfig({});
  expect(config).toMatchObject({
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    TEMPORAL_NAMESPACE: 'default',
    JOBSET_TASK_QUEUE: 'jobset',
    JOBSET_MAX_CONCURRENT_ACTIVITIES: 2000,
    JOBSET_HTTP_PORT: 0,
    JOBSET_HTTP_HOST: '127.0.0.1',
  });
  expect(config.JOBSET_MAX_CACHED_WORKFLOWS).toBe(1000);
});

test.each([
  { env: { JOBSET_MAX_CACHED_WORKFLOWS: '400' }, key: 'JOBSET_MAX_CACHED_WORKFLOWS', value: 400 },
  { env: { JOBSET_MAX_CACHED_WORKFLOWS: '0' }, key: 'JOBSET_MAX_CACHED_WORKFLOWS', value: 0 },
  { env: { JOBSET_MAX_CONCURRENT_ACTIVITIES: '5000' }, key: 'JOBSET_MAX_CONCURRENT_ACTIVITIES', value: 5000 },
  { env: { JOBSET_HTTP_PORT: '9464' }, key: 'JOBSET_HTTP_PORT', value: 9464 },
  { env: { TEMPORAL_ADDRESS: 'temporal.example:7233' }, key: 'TEMPORAL_ADDRESS', value: 'temporal.example:7233' },
])('$key=$value is taken from the environment', ({ env, key, value }) => {
  expect(loadWorkerConfig(env)[key as keyof ReturnType<typeof loadWorkerConfig>]).toBe(value);
});

test.each([
  { env: { JOBSET_MAX_CACHED_WORKFLOWS: '-1' }, names: 'JOBSET_MAX_CACHED_WORKFLOWS' },
  { env: { JOBSET_MAX_CACHED_WORKFLOWS: 'lots' }, names: 'JOBSET_MAX_CACHED_WORKFLOWS' },
  { env: { JOBSET_MAX_CONCURRENT_ACTIVITIES: '0' }, names: 'JOBSET_MAX_CONCURRENT_ACTIVITIES' },
  { env: { JOBSET_HTTP_PORT: '70000' }, names: 'JOBSET_HTTP_PORT' },
  { env: { TEMPORAL_ADDRESS: 'no-port' }, names: 'TEMPORAL_ADDRESS' },
  { env: { TEMPORAL_TLS_CERT: '/c.pem' }, names: 'TEMPORAL_TLS_CERT' },
])('$env is refused naming $names', ({ env, names }) => {
  expect(() => loadWorkerConfig(env)).toThrow(new RegExp(`invalid worker configuration:\\n\\s+${names}: `));
});

describe('issue 12 item 7: JOBSET_NAMESPACES', () => {
  test.each([
    [undefined, undefined],
    ['', undefined],
    ['team-a', ['team-a']],
    [' team-a , team-b ,', ['team-a', 'team-b']],
  ])('%j -> %j', (value, namespaces) => {
    expect(loadWorkerConfig(value === undefined ? {} : { JOBSET_NAMESPACES: value }).JOBSET_NAMESPACES).toEqual(namespaces);
  });

  test.each(['Team_A', 'a/b', 'x'.repeat(64)])('refuses %j, naming the variable', (value) => {
    expect(() => loadWorkerConfig({ JOBSET_NAMESPACES: value })).toThrow(/JOBSET_NAMESPACES: must be a comma-separated list of namespace names/);
  });
});
