import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

type Done = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** Expired counters are deleted at most this often per process. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Fixed-window counters in the database, so every instance of the server counts against the
 * same number (an account that spreads its uploads over three instances still gets one quota).
 * One upsert per counted request: the row is created, incremented, or restarted when its window
 * has passed, in a single statement that both SQLite (3.35+) and Postgres run atomically.
 */
export class DatabaseCounters implements FastifyRateLimitStore {
  private lastSweep = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  incr(key: string, done: Done, timeWindow: number): void {
    this.increment(key, timeWindow).then(
      (result) => done(null, result),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  }

  child(): FastifyRateLimitStore {
    return this;
  }

  private async increment(key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
    const now = this.now();
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, count: 1, reset_at: now + windowMs })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          count: sql<number>`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.count + 1 end`,
          reset_at: sql<number>`case when rate_limits.reset_at <= ${now} then ${now + windowMs} else rate_limits.reset_at end`,
        }),
      )
      .returning(['count', 'reset_at'])
      .executeTakeFirstOrThrow();
    if (now - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = now;
      await this.db.deleteFrom('rate_limits').where('reset_at', '<=', now).execute();
    }
    return { current: Number(row.count), ttl: Math.max(0, Number(row.reset_at) - now) };
  }
}

/**
 * Fixed-window counters in this process's memory: the flood guard in front of every route,
 * which protects this one instance and needs no shared state. Bounded: past `maxKeys` the
 * oldest windows are forgotten first (a Map iterates in insertion order).
 */
export class MemoryCounters implements FastifyRateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly routeCounters: FastifyRateLimitStore,
    private readonly maxKeys = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  incr(key: string, done: Done, timeWindow: number): void {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      this.windows.delete(key);
      window = { count: 0, resetAt: now + timeWindow };
      this.windows.set(key, window);
      if (this.windows.size > this.maxKeys) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
    }
    window.count++;
    done(null, { current: window.count, ttl: window.resetAt - now });
  }

  /** Routes with a limit of their own count in the database (see rate-limits.ts). */
  child(): FastifyRateLimitStore {
    return this.routeCounters;
  }
}
