# The jobset-temporal image: the worker, the bridge and the rest of the `jobset` CLI, run from the
# build (dist/) with production dependencies only, as a non-root user, on a read-only root
# filesystem (deploy/manifests runs it so). Build: docker build -t jobset-temporal:0.1.0 .
# The entrypoint is the one the manifests use (`node bin/jobset.js worker|bridge`);
# test/e2e/package.test.ts runs it from a production install outside a container.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY workflows workflows
COPY activities activities
COPY worker worker
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
# The workflow bundle is built into this cache at image build time: at run time the root
# filesystem is read-only, and a worker bundling for itself would keep webpack's memory.
ENV NODE_ENV=production XDG_CACHE_HOME=/app/.cache
# At most two glibc malloc arenas instead of one per thread (Temporal's Rust core and V8 run a
# dozen): about 15 MiB less RSS at rest (`jobset controller`: 162-165 -> 145-149 MiB). The peer
# benchmark runs ours with it (docs/bench.md).
ENV MALLOC_ARENA_MAX=2
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist dist
COPY bin bin
RUN node --input-type=module -e "const { workflowSource } = await import('./dist/worker/bundle.js'); const { workflowsPath } = await import('./dist/worker/worker.js'); const s = await workflowSource(workflowsPath, console.error); if (!('workflowBundle' in s)) process.exit(1);"
USER 65532:65532
ENTRYPOINT ["node", "bin/jobset.js"]
CMD ["worker"]
