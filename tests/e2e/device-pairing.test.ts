import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceCredentials } from '../../src/db/schema';
import { MINUTE_MS, minuteStartOf } from '../../src/shared/samples';
import { inAppDb, putRecording, readChunk, readCredentials, readOutbox, waitForChunks, waitForCredentials } from '../helpers/app-db';
import { eventually } from '../helpers/armband-emulation';
import { buildArchive, storeBackup } from '../helpers/backup-archive';
import { grantAllPermissions, launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { listDevices } from '../helpers/steady-app';
import { uploadBatch } from '../helpers/sync-client';
import { recording } from '../helpers/sync-e2e';

// Two browsers, two devices. A makes a one-time code in Settings; B opens the QR code's link and
// joins; B shows A's account at once; A removes B; B is locked out, says so, keeps its data, and
// nothing it kept (its token, the used code) lets it back in.
let server: TestServer;
let phoneA: TestBrowser;
let tabletB: TestBrowser;
let a: DeviceCredentials;
let b: DeviceCredentials;
let code: string;
const start = minuteStartOf(Date.now()) - 3 * 3600_000;
const history = recording(start, 4, 11, 'a-armband');
const recordedOnB = recording(start + 30 * MINUTE_MS, 2, 12, 'b-armband');

async function open(browser: TestBrowser, path = '/'): Promise<DeviceCredentials> {
  await grantAllPermissions(browser.browserCdp, server.url);
  await browser.page.goto(`${server.url}${path}`);
  await waitForController(browser.page);
  return waitForCredentials(browser.page);
}

const settings = (page: Page) => page.getByRole('link', { name: 'Settings', exact: true }).click();

beforeAll(async () => {
  // Two devices at most: A and B fill the account, and A is told so when it tries to add a third.
  server = await startTestServer({ staticDir: builtAppDir(), env: { MAX_DEVICES_PER_ACCOUNT: '2' } });
  phoneA = await launchBrowser();
  tabletB = await launchBrowser();
  a = await open(phoneA);
  // A's account has history on the server and a stored backup.
  expect((await uploadBatch(server.url, a.deviceToken, { header: {}, chunks: history.chunks, docs: [] })).status).toBe(201);
  const stored = await storeBackup(server.url, a.deviceToken, buildArchive(history.chunks), randomUUID());
  expect(stored.status).toBe(201);
});
afterAll(async () => {
  await phoneA?.close();
  await tabletB?.close();
  await server?.dispose();
});

describe('linking a device with a one-time code', () => {
  it('A shows a code, as text and as a QR code, with the time it has left', async () => {
    const { page } = phoneA;
    await settings(page);
    await page.getByRole('button', { name: 'Add a device' }).click();
    code = (await page.getByTestId('pairing-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const qr = page.getByRole('img', { name: `QR code that opens Steady with the code ${code}` });
    expect(await qr.evaluate((svg) => svg.tagName)).toBe('svg');
    expect(((await qr.locator('path').getAttribute('d')) ?? '').length).toBeGreaterThan(200);
    expect(await qr.evaluate((svg) => svg.querySelectorAll('[style]').length)).toBe(0);
    expect(await page.getByTestId('pairing-countdown').textContent()).toMatch(/Expires in (10:00|9:5\d)/);
    // A's own credentials hold no code.
    expect(Object.keys((await readCredentials(page)) ?? {}).sort()).toEqual(['accountId', 'createdAt', 'deviceId', 'deviceToken']);
  });

  it('a device from before pairing codes forgets the sync code it stored, and keeps its account', async () => {
    const { page } = phoneA;
    await inAppDb(
      page,
      async (db, credentials, idb) => {
        const tx = db.transaction('meta', 'readwrite');
        tx.objectStore('meta').put({ ...credentials, syncCode: 'ABCD-EFGH-JKMN' }, 'credentials');
        await idb.done(tx);
      },
      a,
    );
    expect((await readCredentials(page)) as unknown).toMatchObject({ syncCode: 'ABCD-EFGH-JKMN' });
    await page.reload();
    await waitForController(page);
    await eventually(
      () => readCredentials(page),
      (stored) => stored !== undefined && !('syncCode' in stored),
      10_000,
      'the sync code dropped',
    );
    expect(await readCredentials(page)).toEqual(a);
  });

  it("B opens the code's link, joins, and shows A's account at once: history, backups, devices", async () => {
    const { page } = tabletB;
    const own = await open(tabletB, '/settings');
    expect(own.accountId).not.toBe(a.accountId);
    await putRecording(page, recordedOnB.chunks);
    // Scanning the QR code opens this address; Settings fills the join form in and drops the code from the address bar.
    await page.goto(`${server.url}/settings#pair=${code}`);
    const field = page.getByRole('textbox', { name: 'Pairing code' });
    await eventually(
      () => field.inputValue(),
      (value) => value === code,
      10_000,
      'the join form filled in from the link',
    );
    expect(new URL(page.url()).hash).toBe('');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByText('Joined. This device now syncs with that account.').waitFor({ timeout: 15_000 });
    b = (await readCredentials(page))!;
    expect(b.accountId).toBe(a.accountId);
    // The joined device keeps its own token and no code of any kind.
    expect(Object.keys(b).sort()).toEqual(['accountId', 'createdAt', 'deviceId', 'deviceToken']);

    // No reload, no "Sync now": A's history arrives and B's recordings go up.
    await waitForChunks(page, history.chunks);
    await eventually(
      () => readOutbox(page),
      (outbox) => outbox.length === 0,
      20_000,
      "B's recordings uploaded",
    );
    // The Settings screen that was open during the join shows the joined account's backup and devices.
    await page.getByRole('heading', { name: 'On the server' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Restore' }).first().waitFor();
    const devices = page.getByRole('region', { name: 'Devices on this account' });
    await eventually(
      () => devices.getByRole('listitem').count(),
      (n) => n === 2,
      10_000,
      'both devices listed',
    );
  });

  it('A cannot add a third device to a full account, and is told to remove one first', async () => {
    const { page } = phoneA;
    await page.reload();
    await waitForController(page);
    await settings(page);
    await page.getByRole('button', { name: 'Add a device' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'This account already has as many devices as it can: remove a device first (below), then add the new one.' })
      .waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('pairing-code').count()).toBe(0);
  });

  it('A removes B: B is locked out at once, says so, and keeps what it recorded', async () => {
    const { page } = phoneA;
    const devices = page.getByRole('region', { name: 'Devices on this account' });
    page.once('dialog', (dialog) => void dialog.accept());
    await devices.getByRole('button', { name: 'Remove' }).click();
    await eventually(
      () => devices.getByRole('listitem').count(),
      (n) => n === 1,
      10_000,
      'B gone from the list',
    );
    expect((await listDevices(server.url, b.deviceToken)).status).toBe(401);
    // With B gone there is room again: A's next try makes a code.
    await page.getByRole('button', { name: 'Add a device' }).click();
    await page.getByTestId('pairing-code').waitFor({ timeout: 10_000 });

    // B finds out on its next sync.
    const tablet = tabletB.page;
    await tablet.getByRole('link', { name: 'Sync', exact: true }).click();
    await tablet.getByRole('button', { name: 'Sync now' }).click();
    const banner = tablet.getByTestId('revoked-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toContain('This device was removed from your account');
    await banner.getByRole('link', { name: 'join with a new code' }).click();
    await tablet.getByTestId('device-revoked').waitFor();
    for (const chunk of [...history.chunks, ...recordedOnB.chunks]) expect(await readChunk(tablet, chunk.id)).toBeDefined();
  });

  it('nothing B kept lets it back in: not its token, not the used code', async () => {
    const tablet = tabletB.page;
    const refused = await fetch(`${server.url}/api/pairing-codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b.deviceToken}` },
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'DEVICE_REVOKED', message: 'device token was revoked' });
    await tablet.getByRole('textbox', { name: 'Pairing code' }).fill(code);
    await tablet.getByRole('button', { name: 'Join', exact: true }).click();
    await tablet.getByText('Could not join: this pairing code was already used').waitFor({ timeout: 10_000 });
    expect((await readCredentials(tablet))?.deviceToken).toBe(b.deviceToken);
    const { body } = await listDevices(server.url, a.deviceToken);
    expect(body?.devices.map((d) => d.id)).toEqual([a.deviceId]);
  });
});
