// `jobset bridge` configuration: flags over the environment the Deployment sets, over defaults,
// checked by the bridge's zod configuration (src/bridge/config.ts).
import { parseArgs, UsageError } from '../../../src/cli/args.js';
import { bridgeCommand, bridgeConfig } from '../../../src/cli/commands/bridge.js';
import { findVerb } from '../../../src/cli/commands/index.js';

const config = (argv: string[], env: NodeJS.ProcessEnv = {}) => bridgeConfig(parseArgs(argv, bridgeCommand.flags), env);

it('is a registered verb', async () => {
  expect(await findVerb('bridge')?.load()).toBe(bridgeCommand);
});

it('defaults: only managedBy=bridge, all namespaces, no HTTP endpoint, the default connection', () => {
  expect(config([])).toEqual({
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    TEMPORAL_NAMESPACE: 'default',
    JOBSET_TASK_QUEUE: 'jobset',
    JOBSET_BRIDGE_ADOPT_UNMANAGED: false,
    JOBSET_HTTP_HOST: '127.0.0.1',
    JOBSET_HTTP_PORT: 0,
    JOBSET_BRIDGE_CONCURRENCY: 4,
  });
});

it('reads the environment', () => {
  expect(
    config([], {
      JOBSET_BRIDGE_ADOPT_UNMANAGED: 'true',
      JOBSET_BRIDGE_NAMESPACE: 'team-a',
      KUBECONFIG: '/k',
      JOBSET_HTTP_HOST: '0.0.0.0',
      JOBSET_HTTP_PORT: '8080',
      JOBSET_BRIDGE_CONCURRENCY: '8',
      JOBSET_TASK_QUEUE: 'q',
    }),
  ).toMatchObject({
    JOBSET_BRIDGE_ADOPT_UNMANAGED: true,
    JOBSET_BRIDGE_NAMESPACE: 'team-a',
    KUBECONFIG: '/k',
    JOBSET_HTTP_HOST: '0.0.0.0',
    JOBSET_HTTP_PORT: 8080,
    JOBSET_BRIDGE_CONCURRENCY: 8,
    JOBSET_TASK_QUEUE: 'q',
  });
  expect(config([], { JOBSET_BRIDGE_ADOPT_UNMANAGED: 'false' }).JOBSET_BRIDGE_ADOPT_UNMANAGED).toBe(false);
  // An empty variable is unset.
  const empty = config([], { JOBSET_BRIDGE_NAMESPACE: '', JOBSET_HTTP_PORT: '' });
  expect(empty.JOBSET_BRIDGE_NAMESPACE).toBeUndefined();
  expect(empty.JOBSET_HTTP_PORT).toBe(0);
});

it('flags win over the environment', () => {
  expect(
    config(['--adopt-unmanaged', '-n', 'b', '--http-port', '9090', '--task-queue', 'f'], {
      JOBSET_BRIDGE_NAMESPACE: 'a',
      JOBSET_HTTP_PORT: '8080',
      JOBSET_TASK_QUEUE: 'e',
    }),
  ).toMatchObject({
    JOBSET_BRIDGE_ADOPT_UNMANAGED: true,
    JOBSET_BRIDGE_NAMESPACE: 'b',
    JOBSET_HTTP_PORT: 9090,
    JOBSET_TASK_QUEUE: 'f',
  });
});

it.each([
  [['--http-port', '70000'], {}, '--http-port (JOBSET_HTTP_PORT): must be from 0 to 65535'],
  [['--concurrency', '0'], {}, '--concurrency (JOBSET_BRIDGE_CONCURRENCY): must be from 1 to 64'],
  [['--concurrency', 'x'], {}, '--concurrency (JOBSET_BRIDGE_CONCURRENCY): '],
  [[], { JOBSET_BRIDGE_CONCURRENCY: '65' }, 'JOBSET_BRIDGE_CONCURRENCY: must be from 1 to 64'],
  [['--address', 'nowhere'], {}, '--address (TEMPORAL_ADDRESS): must be host:port'],
  [['--tls-cert', '/c.pem'], {}, 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together'],
  [['--codec-key-file', '/nonexistent/key'], {}, 'codec key file /nonexistent/key: cannot be read'],
])('%j with %j is a usage error naming it', (argv, env, message) => {
  expect(() => config(argv, env)).toThrow(UsageError);
  expect(() => config(argv, env)).toThrow(message);
});
