// How the long-running processes (bridge, codec server) wait to be stopped.

/** Resolves on the first SIGINT or SIGTERM. */
export const untilTerminated = () =>
  new Promise<NodeJS.Signals>((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
