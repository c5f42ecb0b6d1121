// `jobset codec-server`: serves the payload codec over HTTP for the Temporal Web UI and the
// `temporal` CLI (POST /encode, /decode), so they show the specs and statuses that the worker
// keeps encrypted in Temporal history. The worker serves the same endpoint on its HTTP port when
// it has a key; this verb is for a UI that should not reach the workers.
import { AesGcmCodec } from '../../codec/aes-gcm.js';
import { loadCodecKey } from '../../codec/key.js';
import { DEFAULT_CORS_ORIGIN, parseCorsOrigins, startCodecServer } from '../../codec/server.js';
import { UsageError, type ParsedArgs } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { untilTerminated } from '../../net/signals.js';

export const DEFAULT_CODEC_PORT = 8888;

export interface CodecServerSettings {
  keyFile: string;
  host: string;
  port: number;
  corsOrigins: string[];
}

/** Flags first, then the environment, then defaults; the key file is required. */
export function codecServerSettings(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): CodecServerSettings {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
  const keyFile = args.get('codec-key-file') ?? (env.JOBSET_CODEC_KEY_FILE || undefined);
  if (!keyFile) throw new UsageError('no codec key: give --codec-key-file FILE or set JOBSET_CODEC_KEY_FILE');
  const portText = args.get('port');
  const port = portText === undefined ? DEFAULT_CODEC_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`invalid --port ${JSON.stringify(portText)}: must be an integer from 0 to 65535`);
  return {
    keyFile,
    host: args.get('host') ?? '127.0.0.1',
    port,
    corsOrigins: parseCorsOrigins(args.get('cors-origin') ?? (env.JOBSET_CODEC_CORS_ORIGIN || undefined)),
  };
}

export const codecServerCommand: Command = {
  name: 'codec-server',
  usage: 'codec-server [--port PORT] [--host HOST] [--codec-key-file FILE] [--cors-origin ORIGIN]',
  flags: [
    { name: 'port', value: 'PORT', description: `port to listen on (default ${DEFAULT_CODEC_PORT}; 0 = any free port)` },
    { name: 'host', value: 'HOST', description: 'address to listen on (default 127.0.0.1)' },
    { name: 'codec-key-file', value: 'FILE', description: 'the key the worker encrypts payloads with (env JOBSET_CODEC_KEY_FILE; required)' },
    {
      name: 'cors-origin',
      value: 'ORIGIN',
      description: `Web UI origins that may call it from a browser, comma-separated (env JOBSET_CODEC_CORS_ORIGIN, default ${DEFAULT_CORS_ORIGIN})`,
    },
  ],
  details: [
    "Point the Web UI at it: its Data Encoder setting (Codec Server endpoint), or the dev server's",
    '`temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8888`; the `temporal` CLI takes',
    '`--codec-endpoint http://127.0.0.1:8888`. It has no authentication of its own: anyone who can',
    'reach it can decrypt payloads, so keep it on loopback or behind your authenticating proxy.',
    'Stops on SIGINT/SIGTERM. Exit status: 0 stopped, 1 failed, 2 bad flags or key file.',
  ].join('\n'),

  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const settings = codecServerSettings(args);
    let codec: AesGcmCodec;
    try {
      codec = new AesGcmCodec(loadCodecKey(settings.keyFile));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const log = (m: string) => io.stderr.write(`jobset codec-server: ${m}\n`);
    let server;
    try {
      server = await startCodecServer({ host: settings.host, port: settings.port, codec, corsOrigins: settings.corsOrigins });
    } catch (err) {
      io.stderr.write(`error: cannot listen on ${settings.host}:${settings.port}: ${(err as Error).message}\n`);
      return ExitCode.Failed;
    }
    const stop = untilTerminated();
    log(`/encode and /decode on http://${settings.host}:${server.port} (key ${codec.keyId}; browsers from ${settings.corsOrigins.join(', ')})`);
    try {
      log(`${await stop}: stopping`);
    } finally {
      await server.close();
    }
    return ExitCode.OK;
  },
};
