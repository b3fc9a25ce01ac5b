import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS, minuteStartOf } from '../../src/shared/samples';
import { putRecording, readOutbox, readSyncLog, waitForLog } from '../helpers/app-db';
import { expectExactlySamples, serverReadings } from '../helpers/sync-assertions';
import { recording, type SyncStack, startSyncStack } from '../helpers/sync-e2e';

// Three upload batches (2,000 + 2,000 + 1,000): a second run starting mid-way would show.
const MINUTES = 5_000;
const BATCHES = { method: 'PUT', path: /^\/api\/sync\/batches\// };

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack();
  await waitForLog(stack.page, (e) => e.trigger === 'page');
});
afterAll(async () => {
  await stack?.close();
});

describe('one sync run at a time', () => {
  it('two tabs and the service worker triggered together run one after another, and upload once', async () => {
    const { page, browser, proxy, credentials } = stack;
    await page.goto(`${stack.origin}/sync`);
    const tab2 = await browser.context.newPage();
    await tab2.goto(`${stack.origin}/sync`);
    await waitForLog(page, (_e, log) => log.filter((e) => e.trigger === 'page').length >= 3);

    const start = minuteStartOf(Date.now()) - 5 * 24 * 3600_000;
    const { samples, chunks } = recording(start, MINUTES, 21);
    await putRecording(page, chunks);
    const logBefore = (await readSyncLog(page)).length;
    const requestsBefore = proxy.log.length;
    proxy.addLatency(BATCHES, 150); // a wider window for a second run to slip in, if it could

    await Promise.all([
      page.getByRole('button', { name: 'Sync now' }).click(),
      tab2.getByRole('button', { name: 'Sync now' }).click(),
      stack.dispatchSync(),
      stack.dispatchPeriodicSync(),
    ]);
    const log = await waitForLog(
      page,
      (_e, all) => {
        const mine = all.slice(logBefore);
        return (
          ['manual', 'sync', 'periodicsync'].every((t) => mine.some((e) => e.trigger === t)) &&
          mine.filter((e) => e.trigger === 'manual').length >= 2
        );
      },
      60_000,
    );
    proxy.clear();

    // No two runs overlapped, anywhere in the log (tabs, sync worker, service worker).
    const runs = [...log].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < runs.length; i++) {
      const previous = runs[i - 1];
      const run = runs[i];
      if (!previous || !run) continue;
      expect(
        run.startedAt,
        `run ${run.id} (${run.trigger}) started inside run ${previous.id} (${previous.trigger})`,
      ).toBeGreaterThanOrEqual(previous.startedAt + previous.durationMs);
    }
    const fresh = log.slice(logBefore);
    expect(fresh.filter((e) => e.upRecords > 0)).toHaveLength(1);
    expect(fresh.reduce((sum, e) => sum + e.upRecords, 0)).toBe(MINUTES);

    // The server saw each batch once, one at a time, and created every record once.
    const uploads = proxy.log.slice(requestsBefore).filter((r) => r.batchId !== undefined);
    expect(uploads.map((u) => u.status)).toEqual([201, 201, 201]);
    expect(new Set(uploads.map((u) => u.batchId)).size).toBe(3);
    for (let i = 1; i < uploads.length; i++) expect(uploads[i]?.startedAt).toBeGreaterThanOrEqual(uploads[i - 1]?.endedAt ?? Infinity);
    expect(uploads.reduce((sum, u) => sum + Number(u.answer?.created), 0)).toBe(MINUTES);

    const db = new Database(path.join(stack.server.dataDir, 'steady.sqlite'), { readonly: true });
    try {
      const batches = db.prepare('select batch_id from sync_batches where account_id = ?').all(credentials.accountId) as {
        batch_id: string;
      }[];
      expect(batches.map((b) => b.batch_id).sort()).toEqual(uploads.map((u) => u.batchId).sort());
      const records = db
        .prepare(
          "select count(*) as n, count(distinct record_id) as ids from sync_records where account_id = ? and kind = 'chunk' and t >= ? and t < ?",
        )
        .get(credentials.accountId, start, start + MINUTES * MINUTE_MS) as { n: number; ids: number };
      expect(records).toEqual({ n: MINUTES, ids: MINUTES });
    } finally {
      db.close();
    }
    expectExactlySamples(await serverReadings(stack.server.url, credentials.deviceToken, start, start + MINUTES * MINUTE_MS), samples);
    expect(await readOutbox(page)).toEqual([]);
    await tab2.close();
  });
});
