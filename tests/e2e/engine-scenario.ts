import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserSurface } from '../../src/pwa/browser-surface';
import { capabilityModel, type FeatureMechanisms } from '../../src/pwa/capability-model';
import type { OfflineErrorBody } from '../../src/shared/offline-answer';
import type { SyncLogEntry } from '../../src/shared/sync/sync-store';
import { inAppDb } from '../helpers/app-db';
import { eventually } from '../helpers/armband-emulation';
import { type EngineDriver, type EngineSession, engineSession } from '../helpers/engine-session';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

/**
 * The core scenario every engine runs (issue 13): first visit online, the service worker takes
 * control, an offline reload served by it (the server stopped: Firefox's offline mode does not
 * reach the worker), the demo armband records, a check-in, the server back on the same port
 * and data, the data on the server exactly once, and Settings' capability table as the test
 * itself detects this browser. Each engine's file calls it and adds what is special to it.
 */
export interface Scenario {
  session(): EngineSession;
  server(): TestServer;
  /** The capability rows Settings shows, as `data-feature` → `data-mechanism`. */
  shownMechanisms(): Promise<Record<string, string>>;
}

/** A page function: this browser's APIs, detected the test's own way (constructors), not the app's (prototype members). */
function detectSurface(): BrowserSurface {
  const scope = globalThis as unknown as Record<string, unknown>;
  const nav = navigator as unknown as Record<string, { getDevices?: unknown } | undefined>;
  const device = scope.BluetoothDevice as { prototype: object } | undefined;
  return {
    serviceWorker: 'serviceWorker' in navigator,
    periodicSync: 'PeriodicSyncManager' in scope,
    backgroundSync: 'SyncManager' in scope,
    backgroundFetch: 'BackgroundFetchManager' in scope,
    push: 'PushManager' in scope,
    notifications: 'Notification' in scope,
    webBluetooth: 'bluetooth' in navigator,
    bluetoothGetDevices: typeof nav.bluetooth?.getDevices === 'function',
    bluetoothWatchAdvertisements: device !== undefined && 'watchAdvertisements' in device.prototype,
    webLocks: 'locks' in navigator,
    storageManager: 'storage' in navigator,
  };
}

/** The text of the first element matching `css`, or null. */
const textOf = (session: EngineSession, css: string) =>
  session.run((selector) => document.querySelector(selector)?.textContent ?? null, css);

const waitForText = (session: EngineSession, css: string, text: string, timeoutMs = 10_000) =>
  eventually(
    () => textOf(session, css),
    (seen) => seen?.includes(text) ?? false,
    timeoutMs,
    `"${text}" in ${css}`,
  );

const navTo = (session: EngineSession, label: string) => session.click('nav[aria-label="Main"] a', label);

/** `kind|recordId` of every record the server holds for the account, read from its SQLite file. */
function serverRecordKeys(dataDir: string, accountId: string): string[] {
  const db = new SQLite(path.join(dataDir, 'steady.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('select kind, record_id from sync_records where account_id = ? order by kind, record_id').all(accountId) as {
      kind: string;
      record_id: string;
    }[];
    return rows.map((row) => `${row.kind}|${row.record_id}`);
  } finally {
    db.close();
  }
}

/** The account's stored backups on the server, by kind. */
function serverBackups(dataDir: string, accountId: string): { kind: string; stored: number }[] {
  const db = new SQLite(path.join(dataDir, 'steady.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select kind, count(*) as stored from backups where account_id = ? and bytes > 0 group by kind').all(accountId) as {
      kind: string;
      stored: number;
    }[];
  } finally {
    db.close();
  }
}

/** Registers the core scenario's tests; `port` is fixed so the origin (and its storage) survives the server's restart. */
export function coreScenario(launch: () => Promise<EngineDriver>, port: number, expected: Partial<FeatureMechanisms>): Scenario {
  let server: TestServer;
  let session: EngineSession;
  let accountId: string;
  let queued: string[] = [];
  let offlineSince = 0;
  const origin = `http://127.0.0.1:${port}`;
  /** Every record of an app store, reduced to `fields` (typed arrays do not cross WebDriver). */
  const records = (store: string, fields: string[]) =>
    inAppDb(
      session,
      async (db, { store: name, fields: keep }, idb) => {
        const all = await idb.result<Record<string, unknown>[]>(db.transaction(name, 'readonly').objectStore(name).getAll());
        return all.map((record) => Object.fromEntries(keep.map((field) => [field, record[field]])));
      },
      { store, fields },
    );

  beforeAll(async () => {
    server = await startTestServer({ staticDir: builtAppDir(), port });
    session = engineSession(await launch());
  }, 90_000);
  afterAll(async () => {
    await session?.close();
    await server?.dispose();
  });

  describe(`the core scenario`, () => {
    it('first visit online: the service worker takes control and the account is made', async () => {
      await session.goto(`${origin}/`);
      await eventually(
        () => session.run(() => navigator.serviceWorker.controller?.state ?? null, null),
        (state) => state === 'activated',
        20_000,
        'an activated service worker controlling the page',
      );
      const [credentials] = await eventually(
        () => records('meta', ['accountId']).catch(() => []),
        (found) => found.some((record) => typeof record.accountId === 'string'),
        20_000,
        'the account',
      );
      accountId = String(credentials?.accountId);
    });

    it('reloads from the service worker with the server stopped', async () => {
      // Down as a crashed server or a dropped network is: every connection goes with it. A
      // graceful close would wait for (and answer 503 on) the browser's kept-alive connections.
      const closing = server.close();
      server.app.server.closeAllConnections();
      await closing;
      offlineSince = Date.now();
      await session.reload();
      await waitForText(session, 'main h1', 'Today');
    });

    it('answers API calls with the typed offline 503 from the service worker, without rejecting in respondWith', async () => {
      const answer = await session.run(async (url) => {
        const response = await fetch(url);
        return { status: response.status, body: (await response.json()) as unknown };
      }, '/api/health');
      expect(answer).toEqual({
        status: 503,
        body: expect.objectContaining({
          statusCode: 503,
          code: 'OFFLINE',
          error: 'Service Unavailable',
        } satisfies Partial<OfflineErrorBody>),
      });
      // Where the driver reads the console (not WebKitWebDriver): no "respondWith … rejected" noise.
      expect((session.consoleLines() ?? []).filter((line) => /respondWith|rejected/i.test(line))).toEqual([]);
    });

    it('records from the demo armband while offline', async () => {
      await session.click('button', 'Try the demo armband');
      await waitForText(session, '[data-testid="armband-state"]', 'Recording');
      await eventually(
        () => records('chunks', ['id', 'demo']),
        (chunks) => chunks.some((chunk) => chunk.demo === true),
        15_000,
        'a stored demo chunk',
      );
      await session.click('button', 'Stop demo');
      await waitForText(session, '[data-testid="armband-state"]', 'Disconnected');
    });

    it('saves a check-in while offline', async () => {
      await navTo(session, 'Check-in');
      await session.click('.period-switch a', 'Morning');
      await waitForText(session, '[data-testid="checkin-title"]', 'morning');
      await session.click('[data-testid="rating-fatigue"] label', 'Moderate');
      await session.click('button[type="submit"]', 'Save check-in');
      await waitForText(session, '[data-testid="checkin-status"]', 'Saved on this device');
      queued = (await records('outbox', ['key'])).map((entry) => String(entry.key));
      expect(queued.filter((key) => key.startsWith('checkin|'))).toHaveLength(1);
      expect(queued.filter((key) => key.startsWith('chunk|')).length).toBeGreaterThan(0);
    });

    it('back online, page-driven sync brings every record to the server exactly once', async () => {
      server = await server.restart();
      // A chunk waits in the outbox until its minute is over; wait for the last demo minute to end.
      const chunks = await records('chunks', ['minuteStart']);
      const lastMinute = Math.max(...chunks.map((chunk) => Number(chunk.minuteStart)));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastMinute + 60_000 + 500 - Date.now())));
      // Opening Steady is a page-driven trigger: the sync that follows is all a browser without Background Sync has.
      await session.reload();
      await eventually(
        () => records('outbox', ['key']),
        (outbox) => outbox.length === 0,
        30_000,
        'an empty outbox',
      );
      const onServer = serverRecordKeys(server.dataDir, accountId);
      for (const key of queued) expect(onServer.filter((seen) => seen === key)).toEqual([key]);
      // Each record went up once: no run sent what another had already sent. (The run's log entry
      // lands just after the outbox empties.)
      const sentSince = async () => {
        const log = (await records('syncLog', ['startedAt', 'upRecords'])) as Pick<SyncLogEntry, 'startedAt' | 'upRecords'>[];
        return log.filter((entry) => entry.startedAt >= offlineSince).reduce((sum, entry) => sum + entry.upRecords, 0);
      };
      await eventually(sentSince, (sent) => sent >= queued.length, 10_000, 'the sync log of the upload');
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // time for a wrongly doubled run to log too
      expect(await sentSince()).toBe(queued.length);
    }, 120_000);

    it('backs up everything with the transfer the capability table names: Background Fetch, or tus in the page', async () => {
      const mechanism = (await shownMechanisms()).backups;
      await session.click('button', 'Back up everything');
      const transfers = await eventually(
        () => records('transfers', ['direction', 'mode', 'state', 'error']),
        (found) => found.some((t) => t.direction === 'upload' && ['done', 'failed', 'aborted'].includes(String(t.state))),
        45_000,
        'the backup upload to finish',
      );
      const mode = mechanism === 'background-fetch' ? 'background-fetch' : 'tus';
      expect(transfers).toEqual([{ direction: 'upload', mode, state: 'done', error: null }]);
      expect(serverBackups(server.dataDir, accountId)).toEqual([{ kind: 'upload', stored: 1 }]);
    }, 60_000);

    it('shows the capability table that the test detects in this browser', async () => {
      const shown = await shownMechanisms();
      const surface = await session.run(detectSurface, null);
      expect(shown).toEqual(Object.fromEntries(capabilityModel(surface).map((row) => [row.feature, row.mechanism])));
      expect(shown).toMatchObject(expected);
    });
  });

  async function shownMechanisms(): Promise<Record<string, string>> {
    await navTo(session, 'Settings');
    await waitForText(session, 'main h1', 'Settings');
    return session.run(
      () =>
        Object.fromEntries(
          [...document.querySelectorAll('[data-testid="background-capabilities"] li')].map((row) => [
            row.getAttribute('data-feature'),
            row.getAttribute('data-mechanism'),
          ]),
        ),
      null,
    );
  }

  return { session: () => session, server: () => server, shownMechanisms };
}
