import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS, minuteStartOf } from '../../src/shared/samples';
import { putRecording, readCredentials, readOutbox, readSyncLog, waitForChunks, waitForLog } from '../helpers/app-db';
import { eventually } from '../helpers/armband-emulation';
import { expectExactlySamples, serverReadings } from '../helpers/sync-assertions';
import { createAccount, makePairingCode, uploadBatch } from '../helpers/sync-client';
import { recording, type SyncStack, startSyncStack } from '../helpers/sync-e2e';

// A device that has recorded and synced under its own account joins another with a pairing code:
// it must pull the joined account's whole history at once, without a reload or a tap on "Sync now"
// (its old cursor means nothing there), and take what it recorded along, exactly once.
let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack();
});
afterAll(async () => {
  await stack?.close();
});

async function syncNow(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Sync', exact: true }).click();
  const button = page.getByRole('button', { name: 'Sync now' });
  await eventually(() => button.isEnabled(), Boolean, 20_000, '"Sync now" enabled');
  const before = (await readSyncLog(page)).length;
  await button.click();
  await waitForLog(page, (_entry, log) => log.length > before && ['ok', 'nothing-to-do'].includes(log[log.length - 1]!.outcome));
}

describe('joining another account', () => {
  it('pulls that account’s history and carries this device’s recordings into it', async () => {
    const { page, server } = stack;
    const start = minuteStartOf(Date.now()) - 6 * 60 * MINUTE_MS;
    // This device: 30 minutes recorded and synced to its own account (its cursor moves well past 3).
    const own = recording(start, 30, 7, 'phone-armband');
    await putRecording(page, own.chunks);
    await syncNow(page);
    expect(await readOutbox(page)).toEqual([]);

    // The account it will join: 3 minutes uploaded by that account's first device.
    const other = await createAccount(server.url, 'tablet');
    const theirs = recording(start + 60 * MINUTE_MS, 3, 9, 'tablet-armband');
    for (const chunk of theirs.chunks) {
      expect((await uploadBatch(server.url, other.deviceToken, { header: {}, chunks: [chunk], docs: [] })).status).toBe(201);
    }

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const { code } = await makePairingCode(server.url, other.deviceToken);
    await page.getByRole('textbox', { name: 'Pairing code' }).fill(code);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByText('Joined. This device now syncs with that account.').waitFor({ timeout: 10_000 });
    expect((await readCredentials(page))?.accountId).toBe(other.accountId);
    // The joined device keeps no code of any kind.
    expect(Object.keys((await readCredentials(page)) ?? {}).sort()).toEqual(['accountId', 'createdAt', 'deviceId', 'deviceToken']);

    // Their history arrives here by itself: joining started a sync …
    const pulled = await waitForChunks(page, theirs.chunks);
    expect(pulled.map((chunk) => chunk.bpm)).toEqual(theirs.chunks.map((chunk) => chunk.bpm));
    await eventually(
      () => readOutbox(page),
      (outbox) => outbox.length === 0,
      15_000,
      'the recordings carried over uploaded',
    );
    // … and this device's recordings are in the joined account, each sample once.
    const onServer = await serverReadings(server.url, other.deviceToken, start, start + 31 * MINUTE_MS);
    expectExactlySamples(
      onServer.filter((r) => r.sourceId === 'phone-armband'),
      own.samples,
    );
    expect(await readOutbox(page)).toEqual([]);
  });
});
