// List + watch of one kind of object, as client-go's reflector: list (in pages), then watch from
// the list's resourceVersion; a watch that ends is resumed from the last version seen, one the
// server no longer has (410 Gone) is replaced by a fresh list, and errors are retried with
// backoff until stop(). The caller keeps its own store: a reflector reports a full list (replace
// everything), single events, and progress (bookmarks), each with the resourceVersion the store
// then reflects.
import type { Watch } from '@kubernetes/client-node';

import { describeError } from './errors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface Meta {
  metadata?: { resourceVersion?: string; name?: string; namespace?: string; labels?: Record<string, string> };
}

export interface ListPage<T> {
  items: T[];
  metadata?: { resourceVersion?: string; _continue?: string };
}

export interface ReflectorOptions<T extends Meta> {
  /** Watch path, e.g. /apis/batch/v1/jobs or /apis/batch/v1/namespaces/ns/jobs. */
  path: string;
  labelSelector: string;
  /** One page of the list. */
  list(page: { limit: number; continueToken?: string }): Promise<ListPage<T>>;
  watch: Watch;
  /** The complete current set (first list, and every re-list). */
  onReplace(items: T[], resourceVersion: string): void;
  onEvent(type: WatchEventType, obj: T, resourceVersion: string): void;
  /** A bookmark: nothing changed up to this version. */
  onProgress(resourceVersion: string): void;
  log(message: string): void;
}

const PAGE = 500;
// The API server ends a watch after timeoutSeconds; a new one resumes from the last version seen.
const WATCH_SECONDS = 300;
const backoff = (failures: number) => Math.min(30_000, 500 * 2 ** Math.max(0, failures - 1));

/** The watch ended because the server no longer has the version it resumed from. */
class Expired extends Error {}

export class Reflector<T extends Meta> {
  private resourceVersion = '';
  private stopped = false;
  private abort: AbortController | undefined;
  private wakeSleep: (() => void) | undefined;
  private firstList: Promise<void>;
  private listed!: () => void;
  private loop: Promise<void> | undefined;
  /** The last list succeeded and the watch that followed has not failed since. */
  connected = false;

  constructor(private readonly options: ReflectorOptions<T>) {
    this.firstList = new Promise((resolve) => (this.listed = resolve));
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves once the first list is in (never, if the API server never answers). */
  synced(): Promise<void> {
    return this.firstList;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.wakeSleep?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === '') await this.relist();
        await this.watchOnce();
        failures = 0;
      } catch (err) {
        if (this.stopped) return;
        this.connected = false;
        if (err instanceof Expired) {
          this.resourceVersion = '';
          continue;
        }
        failures++;
        const delay = backoff(failures);
        this.options.log(`${this.options.path}: ${describeError(err)}; retrying in ${delay} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeSleep = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async relist(): Promise<void> {
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      let page: ListPage<T>;
      try {
        page = await this.options.list({ limit: PAGE, ...(continueToken ? { continueToken } : {}) });
      } catch (err) {
        // A continue token outlived by compaction: start the list again.
        if ((err as { code?: number }).code === 410) throw new Expired();
        throw err;
      }
      items.push(...page.items);
      // Every page of one list is a snapshot at the first page's version.
      if (resourceVersion === '') resourceVersion = page.metadata?.resourceVersion ?? '';
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken && !this.stopped);
    if (this.stopped) return;
    this.resourceVersion = resourceVersion;
    this.options.onReplace(items, resourceVersion);
    this.connected = true;
    this.listed();
  }

  /** One watch request, from the last version seen, until the server or the network ends it. */
  private watchOnce(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let failed: Error | undefined;
      this.options.watch
        .watch(
          this.options.path,
          {
            labelSelector: this.options.labelSelector,
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: WATCH_SECONDS,
          },
          (type: string, obj: T & { code?: number; message?: string }) => {
            if (failed) return;
            if (type === 'ERROR') {
              failed = obj?.code === 410 ? new Expired() : new Error(`watch error: ${obj?.message ?? JSON.stringify(obj)}`);
              this.abort?.abort();
              return;
            }
            const rv = obj?.metadata?.resourceVersion;
            if (!rv) return;
            this.resourceVersion = rv;
            this.connected = true;
            if (type === 'BOOKMARK') this.options.onProgress(rv);
            else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.options.onEvent(type, obj, rv);
          },
          (err: unknown) => {
            if (failed) reject(failed);
            else if (err && !this.stopped && (err as { name?: string }).name !== 'AbortError') reject(err);
            else resolve();
          },
        )
        .then((controller) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
        })
        .catch(reject);
    });
  }
}
