import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { TransferRecord } from '../shared/backup';
import type { RecordingGap, SampleChunk } from '../shared/samples';
import type { StandTestRecord } from '../shared/stand-test/protocol';
import type { DocRecord } from '../shared/sync/batch-codec';
import type { AttentionItem, OutboxEntry, SyncLogEntry, SyncMetaRecord } from '../shared/sync/sync-store';

/** The one IndexedDB database of the app; this module is the only owner of its schema. */
export const DB_NAME = 'steady';
export const DB_VERSION = 7;

/** This device's credentials, as the server issued them. */
export interface DeviceCredentials {
  accountId: string;
  deviceId: string;
  deviceToken: string;
  createdAt: string;
}

/** A paired armband, remembered so Steady can find and reconnect it after a reload. */
export interface KnownArmband {
  /** Web Bluetooth `device.id`: stable per origin, and the `sourceId` of its samples. */
  id: string;
  name: string;
  pairedAt: number;
  lastConnectedAt: number | null;
  /** True while it should be recording: reconnect on start, and a closed page leaves a gap. */
  recording: boolean;
}

export interface SteadySchema extends DBSchema {
  /** Small singletons, by key. */
  meta: {
    key: 'credentials';
    value: DeviceCredentials;
  };
  /** Heart-rate samples, one record per source per UTC minute. */
  chunks: {
    key: string;
    value: SampleChunk;
    indexes: { byMinute: number };
  };
  /** Stretches without data while recording (disconnections, lost contact). */
  gaps: {
    key: string;
    value: RecordingGap;
    indexes: { byStart: number };
  };
  /** Armbands this browser has paired, by Web Bluetooth `device.id` (src/armband/known-armbands.ts). */
  armbands: {
    key: string;
    value: KnownArmband;
  };
  /** What waits to go up: one entry per record, replaced when the record changes again. */
  outbox: {
    key: string;
    value: OutboxEntry;
  };
  /** Sync progress: the pull cursor, the batch in flight, when to retry. */
  syncMeta: {
    key: SyncMetaRecord['key'];
    value: SyncMetaRecord;
  };
  /** Batches the server refused (4xx): kept with its reason until the user retries them. */
  attention: {
    key: string;
    value: AttentionItem;
  };
  /** Every sync run: trigger, timing, bytes and records moved, outcome. */
  syncLog: {
    key: number;
    value: SyncLogEntry;
    indexes: { byStart: number };
  };
  /** Check-ins, measurements and other small synced records, by `${kind}|${id}`. */
  docs: {
    key: string;
    value: DocRecord & { key: string; updatedAt: number };
    indexes: { byKind: string };
  };
  /** Backups and restores, with the archive an upload resends until the server has it. */
  transfers: {
    key: string;
    /** Blobs, or their bytes where the browser refuses Blobs here (src/db/backup-transfers.ts). */
    value: TransferRecord<Blob | ArrayBuffer>;
    indexes: { byCreated: number };
  };
  /** A stand test while it runs, written each second so a closed tab loses at most a second (src/stand-test/draft-store.ts). */
  standTestDrafts: {
    key: string;
    value: StandTestRecord;
  };
}

export type SteadyDb = IDBPDatabase<SteadySchema>;

let opening: Promise<SteadyDb> | null = null;

/** What this context does once it has closed the database for a newer version's upgrade. */
let afterYieldingToNewerVersion: () => void = () => {
  // A worker just reopens on its next use.
};

/**
 * The page hands over how to follow a newer version of the app that upgrades the database
 * (reload into it); this module runs in workers too, which have no `location.reload`.
 */
export function onNewerVersion(follow: () => void): void {
  afterYieldingToNewerVersion = follow;
}

/** Opens (once per context) and upgrades the database. */
export function openSteadyDb(): Promise<SteadyDb> {
  if (opening) return opening;
  const attempt = openDB<SteadySchema>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('meta');
      }
      if (oldVersion < 2) {
        db.createObjectStore('chunks', { keyPath: 'id' }).createIndex('byMinute', 'minuteStart');
        db.createObjectStore('gaps', { keyPath: 'id' }).createIndex('byStart', 'start');
      }
      if (oldVersion < 3) {
        db.createObjectStore('armbands', { keyPath: 'id' });
      }
      if (oldVersion < 4) {
        db.createObjectStore('outbox', { keyPath: 'key' });
        db.createObjectStore('syncMeta', { keyPath: 'key' });
        db.createObjectStore('attention', { keyPath: 'batchId' });
        db.createObjectStore('syncLog', { keyPath: 'id', autoIncrement: true }).createIndex('byStart', 'startedAt');
        db.createObjectStore('docs', { keyPath: 'key' }).createIndex('byKind', 'kind');
      }
      if (oldVersion < 5) {
        db.createObjectStore('transfers', { keyPath: 'id' }).createIndex('byCreated', 'createdAt');
      }
      if (oldVersion < 6 && !db.objectStoreNames.contains('armbands')) {
        // Databases made by builds from before 'armbands' joined step 3 reached 4 or 5 without it.
        db.createObjectStore('armbands', { keyPath: 'id' });
      }
      if (oldVersion < 7) {
        db.createObjectStore('standTestDrafts', { keyPath: 'id' });
      }
    },
    blocked() {
      // An older tab holds the database open at an older version; it closes itself on
      // `blocking` below, so this resolves as soon as that tab reacts.
      console.warn('Steady: database upgrade waiting for another tab to close it');
    },
    blocking(_current, _blocked, event) {
      // A newer version of the app wants to upgrade: get out of its way and reload into it.
      (event.target as IDBDatabase).close();
      opening = null;
      afterYieldingToNewerVersion();
    },
    terminated() {
      // The browser closed the connection itself (site data cleared, storage evicted): without
      // this, every later use in this context would fail on the dead connection until a restart.
      opening = null;
    },
  });
  // A failed open (a full disk: "Internal error opening backing store") must not be cached, or
  // every later write in this context fails the same way after space has been freed.
  opening = attempt;
  attempt.catch(() => {
    if (opening === attempt) opening = null;
  });
  return attempt;
}

/**
 * Closes this context's connection (before deleting the database, src/your-data/): without
 * it, the deletion's `versionchange` would reach this context's own `blocking` handler, which
 * reloads the page. The next openSteadyDb() opens afresh.
 */
export async function closeSteadyDb(): Promise<void> {
  const current = opening;
  opening = null;
  (await current?.catch(() => null))?.close();
}
