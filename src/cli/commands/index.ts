// The verbs of the `jobset` CLI, in the order `jobset --help` lists them. A new verb is a module
// in this directory exporting a Command, added here.
import type { Command } from '../command.js';
import { deleteCommand } from './delete.js';
import { describeCommand } from './describe.js';
import { devCommand } from './dev.js';
import { getCommand, listCommand } from './get.js';
import { submitCommand } from './submit.js';
import { resumeCommand, suspendCommand } from './suspend.js';
import { validateCommand } from './validate.js';
import { waitCommand } from './wait.js';
import { watchCommand } from './watch.js';
import { workerCommand } from './worker.js';
import { bridgeCommand } from './bridge.js';
import { codecServerCommand } from './codec-server.js';

export const commands: readonly Command[] = [
  validateCommand,
  submitCommand,
  getCommand,
  listCommand,
  describeCommand,
  watchCommand,
  waitCommand,
  suspendCommand,
  resumeCommand,
  deleteCommand,
  workerCommand,
  bridgeCommand,
  codecServerCommand,
  devCommand,
];
