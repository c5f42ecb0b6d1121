// Entry point of the worker process: `npm run worker` or `jobset worker`.
import { loadWorkerConfig } from './config.js';
import { runWorker } from './worker.js';

runWorker(loadWorkerConfig()).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
