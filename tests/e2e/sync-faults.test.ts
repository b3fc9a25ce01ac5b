import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS, minuteStartOf } from '../../src/shared/samples';
import { putRecording, readAttention, readInflight, readOutbox, readSyncLog, waitForLog } from '../helpers/app-db';
import type { ProxiedRequest } from '../helpers/fault-proxy';
import { expectExactlySamples, serverReadings } from '../helpers/sync-assertions';
import { toChunks } from '../helpers/sync-client';
import { recording, type SyncStack, startSyncStack } from '../helpers/sync-e2e';

// 2,100 minute chunks: two upload batches (2,000 + 100), so a fault can strike mid-run.
const MINUTES = 2_100;
const BATCHES = { method: 'PUT', path: /^\/api\/sync\/batches\// };

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack();
  await waitForLog(stack.page, (e) => e.trigger === 'page');
  await stack.page.goto(`${stack.origin}/sync`);
  await waitForLog(stack.page, (_e, log) => log.filter((e) => e.trigger === 'page').length >= 2);
});
afterAll(async () => {
  await stack?.close();
});

/**
 * Taps "Sync now" until nothing is left to send. Failed runs also ask the browser for a
 * background `sync`, which Chromium fires at once when online: runs may come from either.
 */
async function syncNowUntilDone(maxTaps = 6): Promise<void> {
  const { page } = stack;
  for (let tap = 0; tap < maxTaps; tap++) {
    if ((await readOutbox(page)).length === 0 && !(await readInflight(page))) return;
    const before = (await readSyncLog(page)).length;
    await page.getByRole('button', { name: 'Sync now' }).click();
    await waitForLog(page, (_e, log) => log.length > before);
  }
  throw new Error(`still ${(await readOutbox(page)).length} records to send after ${maxTaps} taps`);
}

/** Taps "Sync now" and resolves once the button has gone to "Syncing…" and back: the page heard the run end. */
async function tapSyncNowAndWait(timeoutMs = 15_000): Promise<void> {
  const { page } = stack;
  const cycled = page.evaluate(
    (timeout) =>
      new Promise<void>((resolve, reject) => {
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Sync now');
        if (!button) return reject(new Error('no "Sync now" button'));
        let busy = false;
        new MutationObserver(() => {
          if (button.textContent === 'Syncing…') busy = true;
          else if (busy && button.textContent === 'Sync now') resolve();
        }).observe(button, { childList: true, characterData: true, subtree: true });
        setTimeout(() => reject(new Error(`"Sync now" still reads "${button.textContent}" after ${timeout} ms`)), timeout);
      }),
    timeoutMs,
  );
  await page.getByRole('button', { name: 'Sync now' }).click();
  await cycled;
}

/** Records a fresh stretch `daysAgo` days back; answers what the server must end up holding. */
async function recordStretch(daysAgo: number, seed: number) {
  const start = minuteStartOf(Date.now()) - daysAgo * 24 * 3600_000;
  const { samples, chunks } = recording(start, MINUTES, seed);
  await putRecording(stack.page, chunks);
  const expectServerHoldsExactly = async () =>
    expectExactlySamples(
      await serverReadings(stack.server.url, stack.credentials.deviceToken, start, start + (MINUTES + 1) * MINUTE_MS),
      samples,
    );
  return { chunks, samples, expectServerHoldsExactly, requestsBefore: stack.proxy.log.length };
}

/** Each batch was created once on the server, and together they created every record once. */
function expectEachRecordCreatedOnce(uploads: ProxiedRequest[], records: number): void {
  const fresh = uploads.filter((u) => u.serverStatus === 201);
  expect(new Set(fresh.map((u) => u.batchId)).size).toBe(fresh.length);
  expect(fresh.reduce((sum, u) => sum + Number(u.answer?.created ?? 0), 0)).toBe(records);
  for (const replay of uploads.filter((u) => u.serverStatus === 200)) {
    expect(replay.answer?.created).toBe(fresh.find((u) => u.batchId === replay.batchId)?.answer?.created);
  }
}

function uploadsSince(index: number): ProxiedRequest[] {
  return stack.proxy.log.slice(index).filter((r) => r.batchId !== undefined);
}

describe('sync faults in Chromium, through the fault proxy', () => {
  it('a server answering 500 twice: the batch goes again under its id, everything arrives once', async () => {
    const stretch = await recordStretch(2, 11);
    stack.proxy.failWith(BATCHES, 500, 2);
    await syncNowUntilDone();

    const uploads = uploadsSince(stretch.requestsBefore);
    expect(uploads.map((u) => u.status)).toEqual([500, 500, 201, 201]);
    expect(new Set(uploads.slice(0, 3).map((u) => u.batchId)).size).toBe(1);
    expectEachRecordCreatedOnce(uploads, MINUTES);
    await stretch.expectServerHoldsExactly();
    expect(await readOutbox(stack.page)).toEqual([]);
    const log = await readSyncLog(stack.page);
    expect(log.some((e) => e.outcome === 'retry-later' && /HTTP 500/.test(e.error ?? ''))).toBe(true);
    expect(log.at(-1)?.outcome).toMatch(/ok|nothing-to-do/);
  });

  it('the server killed mid-batch and restarted: the batch in the air goes again, nothing is lost or doubled', async () => {
    const stretch = await recordStretch(4, 12);
    const held = stack.proxy.hold(BATCHES, 1); // the first batch goes up; the second is in the air
    await stack.page.getByRole('button', { name: 'Sync now' }).click();
    const request = await held;
    await request.killMidUpload(() => stack.restartServer());
    await waitForLog(stack.page, (e) => e.outcome === 'offline', 20_000);
    await syncNowUntilDone();

    const uploads = uploadsSince(stretch.requestsBefore);
    expect(uploads[0]?.status).toBe(201);
    expect(uploads[1]).toMatchObject({ fault: 'killed', status: 'dropped' });
    expect(uploads[1]?.serverStatus).toBeUndefined();
    const resent = uploads.filter((u) => u.batchId === uploads[1]?.batchId && u.serverStatus === 201);
    expect(resent).toHaveLength(1);
    expectEachRecordCreatedOnce(uploads, MINUTES);
    await stretch.expectServerHoldsExactly();
    expect(await readOutbox(stack.page)).toEqual([]);
  });

  it.each([
    ['before any answer', 'before-answer', 6],
    ['halfway through the answer', 'mid-answer', 8],
  ] as const)(
    'the connection dropped after the server committed, %s: the replay is answered from the first time',
    async (_name, how, daysAgo) => {
      const stretch = await recordStretch(daysAgo, 13 + daysAgo);
      stack.proxy.dropAfterAnswer(BATCHES, 1, how);
      await syncNowUntilDone();

      const uploads = uploadsSince(stretch.requestsBefore);
      expect(uploads[0]).toMatchObject({ status: 'dropped', serverStatus: 201 });
      // The replay came from the app (next run) or, for a socket closed without an answer, maybe
      // from Chromium itself: either way under the same batch id, answered as the first time.
      const replay = uploads.find((u, i) => i > 0 && u.batchId === uploads[0]?.batchId);
      expect(replay).toMatchObject({ status: 200, serverStatus: 200 });
      expect(replay?.answer).toEqual(uploads[0]?.answer);
      expectEachRecordCreatedOnce(uploads, MINUTES);
      await stretch.expectServerHoldsExactly();
      expect(await readOutbox(stack.page)).toEqual([]);
      if (how === 'mid-answer') {
        const cut = (await readSyncLog(stack.page)).filter((e) => e.startedAt >= (uploads[0]?.startedAt ?? 0) - 5_000);
        expect(cut.some((e) => e.outcome === 'offline' && /answer was cut off/.test(e.error ?? ''))).toBe(true);
      }
    },
  );

  it('a record recorded into while its batch is in the air stays queued, and goes up again', async () => {
    const { page, proxy } = stack;
    const start = minuteStartOf(Date.now()) - 12 * 24 * 3600_000;
    const { samples } = recording(start, 50, 15);
    const growing = start + 10 * MINUTE_MS;
    // Minute 10 holds its first half when the batch is built; the rest arrives while it is sent.
    const firstHalf = samples.filter((s) => s.t < growing + 30_000 || s.t >= growing + MINUTE_MS);
    await putRecording(page, toChunks(firstHalf));
    const requestsBefore = proxy.log.length;
    const held = proxy.hold(BATCHES);
    const logBefore = (await readSyncLog(page)).length;
    await page.getByRole('button', { name: 'Sync now' }).click();
    const request = await held;
    await putRecording(page, toChunks(samples.filter((s) => s.t >= growing && s.t < growing + MINUTE_MS)));
    await request.forward();
    await waitForLog(page, (e, log) => log.indexOf(e) >= logBefore && e.trigger === 'manual');

    const uploads = uploadsSince(requestsBefore);
    expect(uploads.map((u) => u.answer)).toEqual([
      expect.objectContaining({ records: 50, created: 50 }),
      expect.objectContaining({ records: 1, created: 0, merged: 1 }),
    ]);
    expectExactlySamples(await serverReadings(stack.server.url, stack.credentials.deviceToken, start, start + 51 * MINUTE_MS), samples);
    expect(await readOutbox(page)).toEqual([]);
  });

  it('a batch the server refuses (400) lands in "Needs attention" with the reason; the outbox empties', async () => {
    const { page } = stack;
    const start = minuteStartOf(Date.now()) - 10 * 24 * 3600_000;
    const { chunks } = recording(start, 10, 14);
    const bad = chunks[3];
    if (!bad) throw new Error('no chunk');
    bad.bpm[1] = 0;
    await putRecording(page, chunks);
    const before = (await readSyncLog(page)).length;
    await page.getByRole('button', { name: 'Sync now' }).click();
    await waitForLog(page, (_e, log) => log.length > before);

    const attention = page.locator('section.attention');
    await expect.poll(() => attention.count(), { timeout: 10_000 }).toBe(1);
    const text = await attention.textContent();
    expect(text).toContain('Needs attention');
    expect(text).toContain('10 records');
    expect(text).toMatch(/batch rejected: chunks\[3\]\.bpm\[1\]: heart rate 0 is outside 1–400 \(HTTP 400\)/);
    const [item] = await readAttention(page);
    expect(item).toMatchObject({ status: 400, code: 'MALFORMED_BATCH', records: 10 });
    expect(await readOutbox(page)).toEqual([]);
    await expect.poll(() => page.getByTestId('outbox-size').textContent()).toBe('0 records');
    expect((await readSyncLog(page)).at(-1)?.outcome).toBe('needs-attention');
  });

  // Last: it wipes the app's database.
  it('site data cleared in the middle of a run: "Sync now" still answers, and the next run reopens the database', async () => {
    const { page, browser, origin, proxy } = stack;
    const { chunks } = recording(minuteStartOf(Date.now()) - 16 * 24 * 3600_000, 20, 17);
    await putRecording(page, chunks);
    const held = proxy.hold(BATCHES);
    const answered = tapSyncNowAndWait();
    const request = await held;
    // The user clears the site's data in the browser's settings while the batch is on the wire:
    // the run can no longer acknowledge it, nor even log that.
    await browser.cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'indexeddb' });
    await request.forward();
    await answered;
    await tapSyncNowAndWait();
    // The worker opened a new, empty database: no account in it, so the run says so.
    const log = await waitForLog(page, (e) => e.trigger === 'manual' && e.outcome === 'not-signed-in');
    expect(log.at(-1)).toMatchObject({ trigger: 'manual', outcome: 'not-signed-in' });
  });
});
