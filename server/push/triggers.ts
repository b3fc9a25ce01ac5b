import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { fanOut, type QueuedPush } from '../jobs/fan-out-job';
import type { JobQueue } from '../jobs/queue';
import { noteUpload } from '../jobs/refresh-job';
import { postMessage } from './post-message';
import type { PushLog } from './sender';
import type { PushAudience, PushReport, PushService } from './service';

export interface PushTriggerOptions {
  /** The window after the first upload of a burst before the `refresh` push goes out. */
  debounceMs: number;
  log: PushLog;
}

/**
 * What makes the server push: uploads (a `refresh` job per account and burst), messages and
 * operator pushes (fan-out jobs). Holds no timers and no state: everything it starts is a job in
 * the queue, which outlives this process. The stale-device sweep is a periodic job (server.ts).
 */
export class PushTriggers {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly queue: Pick<JobQueue, 'send' | 'sendMany'>,
    private readonly push: PushService,
    private readonly options: PushTriggerOptions,
  ) {}

  /**
   * After an upload changed an account's data: records the uploader and queues the account's
   * refresh. The sync routes await it; a failure is logged and never fails the upload.
   */
  readonly onDataUploaded = async (accountId: string, deviceId: string): Promise<void> => {
    try {
      await noteUpload(this.db, this.queue, { accountId, deviceId, debounceMs: this.options.debounceMs });
    } catch (error) {
      this.options.log.error({ err: error, accountId }, 'could not queue the refresh push');
    }
  };

  /** Posts a message to an account and queues the `message` push to its devices (see `postMessage`). */
  postMessage(accountId: string, text: string, options: { dryRun?: boolean } = {}) {
    return postMessage(this.db, this.push, this.queue, accountId, text, options);
  }

  /** Queues a push to an audience; `dryRun` only counts it. */
  async pushTo(audience: PushAudience, type: 'sync' | 'refresh', options: { dryRun?: boolean } = {}): Promise<QueuedPush | PushReport> {
    if (options.dryRun) return this.push.send(audience, type, { dryRun: true });
    return fanOut(this.push, this.queue, audience, type);
  }
}
