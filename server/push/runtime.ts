import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { type Config, ConfigError, DEFAULT_VAPID_SUBJECT } from '../config';
import type { Database } from '../db/schema';
import { type PushLog, PushSender } from './sender';
import { PushService } from './service';
import { PushTriggers } from './triggers';
import { loadVapidKeys, type VapidKeys } from './vapid-keys';

/** Push, assembled: keys, sender, service and triggers, with one `close()`. */
export interface PushRuntime {
  keys: VapidKeys;
  service: PushService;
  triggers: PushTriggers;
  /** Stops the triggers (pending refreshes are dropped), then closes the connection pool. */
  close(): Promise<void>;
}

/**
 * Builds push from the configuration. The server calls `triggers.startStaleSync()` and hands
 * `triggers.onDataUploaded` to the sync routes; the CLI uses `service` and `triggers.postMessage`.
 */
export function createPush({ config, db, log }: { config: Config; db: Kysely<Database>; log: PushLog }): PushRuntime {
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
  const service = new PushService(db, sender, keys.keyId, log);
  const triggers = new PushTriggers(db, service, {
    debounceMs: config.push.debounceMs,
    staleSyncHours: config.push.staleSyncHours,
    staleCheckIntervalMs: config.push.staleCheckIntervalMs,
    log,
  });
  return {
    keys,
    service,
    triggers,
    async close() {
      await triggers.close();
      sender.close();
    },
  };
}

function readExtraCa(file: string | null): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new ConfigError('PUSH_EXTRA_CA_FILE', `cannot read ${file}: ${(error as Error).message}`);
  }
}
