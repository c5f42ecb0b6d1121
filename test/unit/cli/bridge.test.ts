// `jobset bridge` settings: flags over the environment the Deployment sets, over defaults.
import { parseArgs, UsageError } from '../../../src/cli/args.js';
import { bridgeCommand, bridgeSettings } from '../../../src/cli/commands/bridge.js';
import { findVerb } from '../../../src/cli/commands/index.js';

const settings = (argv: string[], env: NodeJS.ProcessEnv = {}) => bridgeSettings(parseArgs(argv, bridgeCommand.flags), env);

it('is a registered verb', async () => {
  expect(await findVerb('bridge')?.load()).toBe(bridgeCommand);
});

it('defaults: only managedBy=bridge, all namespaces, no HTTP endpoint', () => {
  expect(settings([])).toEqual({ adoptUnmanaged: false, httpHost: '127.0.0.1', httpPort: 0, concurrency: 4 });
});

it('reads the environment', () => {
  expect(
    settings([], {
      JOBSET_BRIDGE_ADOPT_UNMANAGED: 'true',
      JOBSET_BRIDGE_NAMESPACE: 'team-a',
      KUBECONFIG: '/k',
      JOBSET_HTTP_HOST: '0.0.0.0',
      JOBSET_HTTP_PORT: '8080',
      JOBSET_BRIDGE_CONCURRENCY: '8',
    }),
  ).toEqual({ adoptUnmanaged: true, namespace: 'team-a', kubeconfig: '/k', httpHost: '0.0.0.0', httpPort: 8080, concurrency: 8 });
  expect(settings([], { JOBSET_BRIDGE_ADOPT_UNMANAGED: 'false' }).adoptUnmanaged).toBe(false);
});

it('flags win over the environment', () => {
  expect(settings(['--adopt-unmanaged', '-n', 'b', '--http-port', '9090'], { JOBSET_BRIDGE_NAMESPACE: 'a', JOBSET_HTTP_PORT: '8080' })).toMatchObject({
    adoptUnmanaged: true,
    namespace: 'b',
    httpPort: 9090,
  });
});

it.each([
  [['--http-port', '70000'], 'invalid --http-port "70000": must be an integer from 0 to 65535'],
  [['--concurrency', '0'], 'invalid --concurrency "0": must be an integer from 1 to 64'],
  [['--concurrency', 'x'], 'invalid --concurrency "x"'],
])('%j is a usage error', (argv, message) => {
  expect(() => settings(argv)).toThrow(UsageError);
  expect(() => settings(argv)).toThrow(message);
});
