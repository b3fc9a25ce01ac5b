import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { type Config, ConfigError, DEFAULT_VAPID_SUBJECT } from '../config';
import type { Database } from '../db/schema';
import { queuedRetries } from '../jobs/push-retry-job';
import type { JobQueue } from '../jobs/queue';
import { type PushLog, PushSender } from './sender';
import { PushService } from './service';
import { PushTriggers } from './triggers';
import { loadVapidKeys, type VapidKeys } from './vapid-keys';

/** Push, assembled: keys, sender, service and triggers, with one `close()`. */
export interface PushRuntime {
  keys: VapidKeys;
  service: PushService;
  triggers: PushTriggers;
  /** Closes the push services' connection pool: close the job queue first, so no job is still sending. */
  close(): void;
}

/**
 * Builds push from the configuration over a job queue (retries and fan-out go there). The server
 * hands `triggers.onDataUploaded` to the sync routes and the service to the job handlers; the CLI
 * uses `triggers.pushTo` and `triggers.postMessage`.
 */
export function createPush({
  config,
  db,
  log,
  queue,
}: {
  config: Config;
  db: Kysely<Database>;
  log: PushLog;
  queue: Pick<JobQueue, 'send' | 'sendMany'>;
}): PushRuntime {
  const keys = loadVapidKeys(config.dataDir, config.push);
  if (config.push.vapidSubject === DEFAULT_VAPID_SUBJECT)
    log.warn({ subject: DEFAULT_VAPID_SUBJECT }, 'VAPID_SUBJECT is not set: Apple refuses pushes signed with a placeholder contact');
  const sender = new PushSender({
    keys,
    allowedHosts: config.push.allowedHosts,
    timeoutMs: config.push.timeoutMs,
    log,
    extraCa: readExtraCa(config.push.extraCaFile),
  });
  const service = new PushService(db, sender, keys.keyId, log, { retries: queuedRetries(queue) });
  const triggers = new PushTriggers(db, queue, service, { debounceMs: config.push.debounceMs, log });
  return { keys, service, triggers, close: () => sender.close() };
}

function readExtraCa(file: string | null): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new ConfigError('PUSH_EXTRA_CA_FILE', `cannot read ${file}: ${(error as Error).message}`);
  }
}
