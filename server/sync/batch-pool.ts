import os from 'node:os';
import { Piscina } from 'piscina';
import type { PreparedBatch, ReadingsTask } from './prepare-batch';
import type { StoredPage } from './pull';

/** What a worker thread is asked to do (batch-worker.ts). */
export type BatchTask =
  | { type: 'upload'; body: Uint8Array }
  | { type: 'page'; page: StoredPage }
  | { type: 'readings'; readings: ReadingsTask };

export interface BatchPoolOptions {
  /** Worker threads; default: all cores but one, at least one, at most four. */
  threads?: number;
  /** Uploads waiting for a thread beyond those being decoded; past it `prepare` answers null. */
  queue?: number;
}

/**
 * Decodes uploads and encodes pull and readings pages in worker threads (prepare-batch.ts) so that a big
 * batch never holds the event loop: health checks and other accounts' requests go on meanwhile. The queue is
 * bounded, so a flood of uploads is turned away (503, retry later) instead of piling up bodies
 * in memory. Threads start with the first upload, not with the server.
 */
export class BatchPool {
  private pool: Piscina | null = null;
  private readonly threads: number;
  private readonly queue: number;

  constructor(options: BatchPoolOptions = {}) {
    this.threads = options.threads ?? Math.min(4, Math.max(1, os.availableParallelism() - 1));
    this.queue = options.queue ?? 8;
  }

  /** The prepared upload, or null when the queue is full. */
  prepare(gzipped: Uint8Array): Promise<PreparedBatch | null> {
    return this.run({ type: 'upload', body: gzipped });
  }

  /** The gzip-compressed pull page, or null when the queue is full. */
  async encodePage(page: StoredPage): Promise<Uint8Array | null> {
    return this.run({ type: 'page', page });
  }

  /** A readings page's items as JSON text, or null when the queue is full. */
  readingsJson(readings: ReadingsTask): Promise<string | null> {
    return this.run({ type: 'readings', readings });
  }

  private async run<T>(task: BatchTask): Promise<T | null> {
    this.pool ??= new Piscina({
      filename: new URL('./batch-worker.ts', import.meta.url).href,
      // The server runs TypeScript through tsx (`node --import tsx`, and Vitest in-process):
      // the workers load it the same way.
      execArgv: ['--import', 'tsx'],
      minThreads: 1,
      maxThreads: this.threads,
      maxQueue: this.queue,
      idleTimeout: 60_000,
      // A decode is bounded far below this (BATCH_LIMITS); if one still blows up, only its worker dies.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    try {
      return (await this.pool.run(task)) as T;
    } catch (error) {
      if (error instanceof Error && error.message === 'Task queue is at limit') return null;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = null;
  }
}
