import { setTimeout as sleep } from 'node:timers/promises';
import type { Lock, Locker, RequestRelease } from '@tus/server';
import pg from 'pg';
import { ApiError } from '../errors';

/** The channel on which a request waiting for an upload asks its holder, on whichever instance, to let go. */
const RELEASE_CHANNEL = 'steady_tus_release';

export interface PostgresLockerOptions {
  url: string;
  /** The database schema, so that servers sharing a database (tests) never share a lock. */
  schema?: string;
  /** How long a request waits for the holder to let go; past it, 423. Longer than tus's lockDrainTimeout (3 s). */
  acquireTimeoutMs?: number;
  /** At most this many uploads written at once by this instance (each holds a connection). */
  maxConnections?: number;
}

/** The refusal of a request for an upload another request is writing; tus clients retry a 423. */
export const uploadLocked = () =>
  new ApiError(423, 'UPLOAD_LOCKED', 'another request is writing this upload: try again once it has stopped');

/**
 * A tus Locker (@tus/utils) that holds across instances: a session-level Postgres advisory lock
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS) taken with
 * `pg_try_advisory_lock` on a connection the lock keeps until it is released, so an instance that
 * dies lets go with its connection. tus's rule that a newer request asks the holder to stop
 * (its `requestRelease`: the holder ends its write, keeping what arrived) crosses instances as a
 * NOTIFY that every instance LISTENs for. A request that still cannot have the lock after
 * `acquireTimeoutMs` is answered 423.
 */
export class PostgresLocker implements Locker {
  readonly pool: pg.Pool;
  readonly acquireTimeoutMs: number;
  readonly schema: string;
  /** Release requests of the locks this instance holds, by lock key. */
  readonly held = new Map<string, RequestRelease>();
  /** Connections holding those locks: closing the locker ends them, which releases the locks. */
  readonly holding = new Set<pg.PoolClient>();
  private listener: Promise<pg.Client> | undefined;
  private closed = false;

  constructor(options: PostgresLockerOptions) {
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 10_000;
    this.schema = options.schema ?? 'public';
    const max = options.maxConnections ?? 20;
    this.pool = new pg.Pool({ connectionString: options.url, max, connectionTimeoutMillis: this.acquireTimeoutMs });
    this.pool.on('error', () => undefined); // an idle connection dropped: the next lock connects again
  }

  newLock(id: string): Lock {
    return new PostgresLock(this, `${this.schema}/${id}`);
  }

  /** Asks whichever instance holds `key` to release it. */
  async requestRelease(key: string, client: pg.ClientBase): Promise<void> {
    await client.query('select pg_notify($1, $2)', [RELEASE_CHANNEL, key]);
  }

  /** Listens for release requests; the holder must hear them before it may keep a lock. */
  listening(): Promise<pg.Client> {
    if (!this.listener) {
      const client = new pg.Client({ connectionString: this.pool.options.connectionString });
      const ready = (async () => {
        client.on('notification', (message) => {
          if (message.channel === RELEASE_CHANNEL && message.payload) void this.held.get(message.payload)?.();
        });
        // A dropped listener connects again for the next lock; a holder it missed is still stopped by the timeout.
        client.on('error', () => {
          if (this.listener === ready) this.listener = undefined;
        });
        await client.connect();
        await client.query(`listen ${RELEASE_CHANNEL}`);
        return client;
      })();
      ready.catch(() => {
        if (this.listener === ready) this.listener = undefined;
      });
      this.listener = ready;
    }
    return this.listener;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.then((client) => client.end()).catch(() => undefined);
    for (const client of this.holding) client.release(true);
    this.holding.clear();
    await this.pool.end();
  }
}

class PostgresLock implements Lock {
  private client: pg.PoolClient | undefined;
  private lost: (() => void) | undefined;

  constructor(
    private readonly locker: PostgresLocker,
    private readonly key: string,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    await this.locker.listening();
    const deadline = Date.now() + this.locker.acquireTimeoutMs;
    const client = await this.locker.pool.connect().catch(() => {
      throw uploadLocked(); // every connection is writing: as busy as a held lock
    });
    try {
      let asked = false;
      for (;;) {
        const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [
          this.key,
        ]);
        if (rows[0]?.locked) break;
        if (!asked) {
          await this.locker.requestRelease(this.key, client);
          asked = true;
        }
        if (signal.aborted || Date.now() >= deadline) throw uploadLocked();
        await sleep(50);
      }
    } catch (error) {
      client.release();
      throw error;
    }
    this.client = client;
    // The connection broke (Postgres restarted, the network cut): the lock is gone with it, so
    // the writer is asked to stop; heard here, the error does not end the process.
    this.lost = () => void requestRelease();
    client.on('error', this.lost);
    this.locker.holding.add(client);
    this.locker.held.set(this.key, requestRelease);
  }

  async unlock(): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('Releasing an unlocked lock!');
    this.client = undefined;
    this.locker.held.delete(this.key);
    if (!this.locker.holding.delete(client)) return; // ended by close()
    try {
      await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [this.key]);
      client.release();
    } catch (error) {
      // The connection broke: ending it is what releases the lock.
      client.release(error instanceof Error ? error : true);
    } finally {
      if (this.lost) client.removeListener('error', this.lost);
    }
  }
}
