// The values this project uses from @kubernetes/client-node, in one module. Every import of a
// client-node value (classes, functions, enums) goes through here; type imports may name the
// package directly (they are erased).
//
// Why: the package's entry loads every API group's generated client, and an ES module keeps its
// source text for the life of the process: ~75 MiB of RSS for a worker, a bridge or the
// controller that calls four API groups (measured: `import '@kubernetes/client-node'` takes a bare
// Node from 39 to 114 MiB). `npm run build` replaces this module's output with a tree-shaken,
// minified bundle of just these exports (scripts/bundle-kube.mjs, ~59 MiB for the same import),
// so the built worker and bridge pay for what they call. Run from source (tests, tsx), it is the
// package itself. Issue 13 (memory at rest).
export {
  ApiException,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
