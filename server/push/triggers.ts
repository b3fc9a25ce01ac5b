import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { postMessage } from './post-message';
import type { PushLog } from './sender';
import type { PushService } from './service';
import { sendStaleSyncs } from './stale-sync';

export interface PushTriggerOptions {
  /** Quiet time after the last upload before the `refresh` push goes out. */
  debounceMs: number;
  /** Devices unseen this long get a `sync` push. */
  staleSyncHours: number;
  /** How often to look for them; 0 turns the check off (CLI). */
  staleCheckIntervalMs: number;
  log: PushLog;
}

interface PendingRefresh {
  timer: NodeJS.Timeout;
  firstAt: number;
  uploaders: Set<string>;
}

/** A burst of uploads never delays its refresh by more than this many debounce periods. */
const MAX_WAIT_PERIODS = 4;

/**
 * What makes the server push: uploads (`refresh` to the account's other devices, debounced),
 * devices gone quiet (`sync`, on a timer) and messages (`message`). Owns its timers; `close()`
 * cancels them and aborts pushes in flight.
 */
export class PushTriggers {
  readonly #pending = new Map<string, PendingRefresh>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #abort = new AbortController();
  #staleTimer: NodeJS.Timeout | null = null;
  #staleRunning = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly push: PushService,
    private readonly options: PushTriggerOptions,
  ) {}

  /**
   * After an upload changed an account's data: a `refresh` push, `debounceMs` after the last
   * upload in a burst, to every device of the account but the one that uploaded (when several
   * uploaded, each hears of the others' data). Returns at once; the sync routes call it.
   */
  readonly onDataUploaded = (accountId: string, fromDeviceId: string): void => {
    if (this.#abort.signal.aborted) return;
    const now = Date.now();
    const pending = this.#pending.get(accountId);
    if (pending) {
      pending.uploaders.add(fromDeviceId);
      if (now - pending.firstAt >= this.options.debounceMs * (MAX_WAIT_PERIODS - 1)) return;
      clearTimeout(pending.timer);
      pending.timer = this.#schedule(accountId);
      return;
    }
    this.#pending.set(accountId, { timer: this.#schedule(accountId), firstAt: now, uploaders: new Set([fromDeviceId]) });
  };

  /** Posts a message to an account and pushes `message` to its devices (see `postMessage`). */
  postMessage(accountId: string, text: string, options: { dryRun?: boolean } = {}) {
    return this.#track(postMessage(this.db, this.push, accountId, text, options));
  }

  /** Runs the stale-device check every `staleCheckIntervalMs` until `close()`. */
  startStaleSync(): void {
    if (this.options.staleCheckIntervalMs <= 0 || this.#staleTimer) return;
    this.#staleTimer = setInterval(() => void this.checkStaleDevices(), this.options.staleCheckIntervalMs);
    this.#staleTimer.unref();
  }

  /** One stale-device check now; skipped while the previous one still runs. */
  async checkStaleDevices(): Promise<void> {
    if (this.#staleRunning || this.#abort.signal.aborted) return;
    this.#staleRunning = true;
    try {
      await this.#track(sendStaleSyncs(this.db, this.push, this.options.staleSyncHours, Date.now(), this.#abort.signal));
    } catch (error) {
      if (!this.#abort.signal.aborted) this.options.log.error({ err: error }, 'stale-device push failed');
    } finally {
      this.#staleRunning = false;
    }
  }

  /** Cancels pending refreshes and the stale check, aborts pushes in flight and waits for them. */
  async close(): Promise<void> {
    this.#abort.abort(new DOMException('push triggers closed', 'AbortError'));
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    this.#pending.clear();
    if (this.#staleTimer) clearInterval(this.#staleTimer);
    await Promise.allSettled([...this.#inFlight]);
  }

  #schedule(accountId: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.#refresh(accountId), this.options.debounceMs);
    timer.unref();
    return timer;
  }

  #refresh(accountId: string): void {
    const pending = this.#pending.get(accountId);
    this.#pending.delete(accountId);
    if (!pending) return;
    const exceptDeviceIds = pending.uploaders.size === 1 ? [...pending.uploaders] : [];
    this.#track(this.push.send({ accountId, exceptDeviceIds }, 'refresh', { signal: this.#abort.signal })).catch((error: unknown) => {
      if (!this.#abort.signal.aborted) this.options.log.error({ err: error, accountId }, 'refresh push failed');
    });
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const forget = () => this.#inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }
}
