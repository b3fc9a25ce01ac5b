import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { RecordingGap, SampleChunk } from '../shared/samples';
import type { DocRecord } from '../shared/sync/batch-codec';
import type { AttentionItem, OutboxEntry, SyncLogEntry, SyncMetaRecord } from '../shared/sync/sync-store';

/** The one IndexedDB database of the app; this module is the only owner of its schema. */
export const DB_NAME = 'steady';
export const DB_VERSION = 4;

/** This device's credentials, as the server issued them. */
export interface DeviceCredentials {
  accountId: string;
  deviceId: string;
  deviceToken: string;
  /** Present on the device that created the account or joined with it. */
  syncCode: string | null;
  createdAt: string;
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
}

export type SteadyDb = IDBPDatabase<SteadySchema>;

let opening: Promise<SteadyDb> | null = null;

/** Opens (once per context) and upgrades the database. */
export function openSteadyDb(): Promise<SteadyDb> {
  opening ??= openDB<SteadySchema>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('meta');
      }
      if (oldVersion < 2) {
        db.createObjectStore('chunks', { keyPath: 'id' }).createIndex('byMinute', 'minuteStart');
        db.createObjectStore('gaps', { keyPath: 'id' }).createIndex('byStart', 'start');
      }
      // Version 3 is the armband feature's.
      if (oldVersion < 4) {
        db.createObjectStore('outbox', { keyPath: 'key' });
        db.createObjectStore('syncMeta', { keyPath: 'key' });
        db.createObjectStore('attention', { keyPath: 'batchId' });
        db.createObjectStore('syncLog', { keyPath: 'id', autoIncrement: true }).createIndex('byStart', 'startedAt');
        db.createObjectStore('docs', { keyPath: 'key' }).createIndex('byKind', 'kind');
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
      // Only a page can reload itself; a worker just reopens on its next use.
      if ('document' in globalThis) location.reload();
    },
  });
  return opening;
}
