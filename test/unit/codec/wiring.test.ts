// Where the codec key comes from in each process: the worker's JOBSET_CODEC_KEY_FILE, the CLI's
// --codec-key-file (over the same variable), and the codec-server verb.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseArgs, UsageError } from '../../../src/cli/args.js';
import { codecServerCommand, codecServerSettings } from '../../../src/cli/commands/codec-server.js';
import { findVerb } from '../../../src/cli/commands/index.js';
import { connectionDataConverter, connectionFlags, connectionSettings } from '../../../src/cli/connection.js';
import { AesGcmCodec } from '../../../src/codec/aes-gcm.js';
import { EncryptedPayloadGuard } from '../../../src/codec/guard.js';
import { loadWorkerConfig } from '../../../worker/config.js';

let dir: string;
let keyFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'codec-wiring-'));
  keyFile = join(dir, 'key');
  writeFileSync(keyFile, `${'ab'.repeat(32)}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('worker', () => {
  test('JOBSET_CODEC_KEY_FILE is optional; the UI origin defaults to the dev server UI', () => {
    const config = loadWorkerConfig({});
    expect(config.JOBSET_CODEC_KEY_FILE).toBeUndefined();
    expect(config.JOBSET_CODEC_CORS_ORIGIN).toBe('http://127.0.0.1:8233');
    expect(loadWorkerConfig({ JOBSET_CODEC_KEY_FILE: '/k', JOBSET_CODEC_CORS_ORIGIN: 'https://ui' })).toMatchObject({
      JOBSET_CODEC_KEY_FILE: '/k',
      JOBSET_CODEC_CORS_ORIGIN: 'https://ui',
    });
  });
});

describe('CLI connection', () => {
  const settings = (argv: string[], env: NodeJS.ProcessEnv = {}) => connectionSettings(parseArgs(argv, connectionFlags), env);

  test.each([
    { argv: [], env: {}, file: undefined },
    { argv: [], env: { JOBSET_CODEC_KEY_FILE: '/env' }, file: '/env' },
    { argv: ['--codec-key-file', '/flag'], env: { JOBSET_CODEC_KEY_FILE: '/env' }, file: '/flag' },
    { argv: [], env: { JOBSET_CODEC_KEY_FILE: '' }, file: undefined },
  ])('flag $argv over env $env: $file', ({ argv, env, file }) => {
    expect(settings(argv, env).codecKeyFile).toBe(file);
  });

  test('the key file gives the AES-GCM codec, none the guard, a bad one a usage error naming it', () => {
    expect(connectionDataConverter(settings(['--codec-key-file', keyFile])).payloadCodecs?.[0]).toBeInstanceOf(AesGcmCodec);
    expect(connectionDataConverter(settings([])).payloadCodecs?.[0]).toBeInstanceOf(EncryptedPayloadGuard);
    const missing = join(dir, 'missing');
    expect(() => connectionDataConverter(settings(['--codec-key-file', missing]))).toThrow(UsageError);
    expect(() => connectionDataConverter(settings(['--codec-key-file', missing]))).toThrow(`codec key file ${missing}: cannot be read`);
  });
});

describe('codec-server verb', () => {
  const settings = (argv: string[], env: NodeJS.ProcessEnv = {}) => codecServerSettings(parseArgs(argv, codecServerCommand.flags), env);

  test('is a registered verb', async () => {
    expect(await findVerb('codec-server')?.load()).toBe(codecServerCommand);
  });

  test('defaults: loopback, port 8888, the dev server UI; the key from the environment', () => {
    expect(settings([], { JOBSET_CODEC_KEY_FILE: keyFile })).toEqual({ keyFile, host: '127.0.0.1', port: 8888, corsOrigins: ['http://127.0.0.1:8233'] });
  });

  test('flags over the environment', () => {
    expect(
      settings(['--port', '0', '--host', '0.0.0.0', '--codec-key-file', '/f', '--cors-origin', 'https://a,https://b'], {
        JOBSET_CODEC_KEY_FILE: keyFile,
        JOBSET_CODEC_CORS_ORIGIN: 'https://c',
      }),
    ).toEqual({
      keyFile: '/f',
      host: '0.0.0.0',
      port: 0,
      corsOrigins: ['https://a', 'https://b'],
    });
  });

  test.each([
    { argv: [], message: 'no codec key: give --codec-key-file FILE or set JOBSET_CODEC_KEY_FILE' },
    { argv: ['--codec-key-file', '/f', '--port', '70000'], message: 'invalid --port "70000": must be an integer from 0 to 65535' },
    { argv: ['--codec-key-file', '/f', 'extra'], message: 'unexpected argument "extra"' },
  ])('$argv is a usage error: $message', ({ argv, message }) => {
    expect(() => settings(argv)).toThrow(new UsageError(message));
  });
});
