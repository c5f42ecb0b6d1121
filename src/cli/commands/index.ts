// The verbs of the `jobset` CLI, in the order `jobset --help` lists them. A verb's module (its
// flags, help and run, with the Temporal or Kubernetes client it needs) is loaded only when that
// verb is used: `jobset --help` loads none, `jobset validate` no client at all (issue 16 item 2).
// A new verb is a module in this directory exporting a Command, added here.
import type { Command } from '../command.js';

/** A verb as `jobset --help` lists it, and how to load it. */
export interface Verb {
  name: string;
  /** One line for the command list and the top of the verb's help. */
  summary: string;
  load(): Promise<Command>;
}

export const verbs: readonly Verb[] = [
  {
    name: 'validate',
    summary: 'check JobSet YAML/JSON offline and print it with every default applied',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  { name: 'submit', summary: 'validate JobSet YAML/JSON and start it as a workflow', load: async () => (await import('./submit.js')).submitCommand },
  { name: 'get', summary: 'show JobSets (one, several by NAME, or all of a namespace)', load: async () => (await import('./get.js')).getCommand },
  { name: 'list', summary: 'list JobSets (like get without NAME)', load: async () => (await import('./get.js')).listCommand },
  {
    name: 'describe',
    summary: 'show one JobSet in detail: conditions, replicated jobs, restarts, child Jobs, events',
    load: async () => (await import('./describe.js')).describeCommand,
  },
  { name: 'watch', summary: 'follow a JobSet live until it completes or fails', load: async () => (await import('./watch.js')).watchCommand },
  {
    name: 'wait',
    summary: 'wait until a JobSet has a condition (Completed, Failed, Suspended, ...)',
    load: async () => (await import('./wait.js')).waitCommand,
  },
  {
    name: 'suspend',
    summary: 'suspend a running JobSet (its Jobs are suspended and their pods deleted)',
    load: async () => (await import('./suspend.js')).suspendCommand,
  },
  { name: 'resume', summary: 'resume a suspended JobSet', load: async () => (await import('./suspend.js')).resumeCommand },
  {
    name: 'delete',
    summary: 'delete JobSets and wait until their Jobs, Service and PVCs are gone',
    load: async () => (await import('./delete.js')).deleteCommand,
  },
  {
    name: 'worker',
    summary: 'run a JobSet worker (Temporal workflows + Kubernetes activities) until stopped',
    load: async () => (await import('./worker.js')).workerCommand,
  },
  {
    name: 'bridge',
    summary: 'run the CRD bridge: JobSet custom resources (kubectl) become JobSet workflows',
    load: async () => (await import('./bridge.js')).bridgeCommand,
  },
  {
    name: 'controller',
    summary: 'run the bridge and a worker in one process (one per cluster; more workers may join)',
    load: async () => (await import('./controller.js')).controllerCommand,
  },
  {
    name: 'codec-server',
    summary: 'serve the payload codec (/encode, /decode) to the Temporal Web UI and CLI until stopped',
    load: async () => (await import('./codec-server.js')).codecServerCommand,
  },
  { name: 'completion', summary: 'print the shell completion script (bash or zsh)', load: async () => (await import('./completion.js')).completionCommand },
  {
    name: 'dev',
    summary: 'start, stop or check the local environment (Temporal dev server + local Kubernetes)',
    load: async () => (await import('./dev.js')).devCommand,
  },
];

/** The verb named `name`, if there is one. */
export function findVerb(name: string): Verb | undefined {
  return verbs.find((v) => v.name === name);
}
