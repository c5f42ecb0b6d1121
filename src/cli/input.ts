// Reading the files a verb is given: a path, or `-` for standard input.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { CliIO } from './command.js';

/** The text of `file`, or of standard input when `file` is `-`. */
export async function readInput(file: string, io: CliIO): Promise<string> {
  if (file === '-') {
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  }
  return readFile(resolve(io.cwd, file), 'utf8');
}
