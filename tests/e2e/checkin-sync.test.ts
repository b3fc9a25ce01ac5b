import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCredentials, readDoc, readOutbox, waitForCredentials } from '../helpers/app-db';
import { eventually } from '../helpers/armband-emulation';
import { grantAllPermissions, launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { localDate, radio, syncNow } from '../helpers/checkin-page';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { makePairingCode } from '../helpers/sync-client';

let server: TestServer;
let phone: TestBrowser;
let laptop: TestBrowser;

async function openApp(browser: TestBrowser): Promise<void> {
  await grantAllPermissions(browser.browserCdp, server.url);
  await browser.page.goto(`${server.url}/`);
  await waitForController(browser.page);
  await waitForCredentials(browser.page);
}

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
  phone = await launchBrowser();
  laptop = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  await openApp(phone);
});
afterAll(async () => {
  await phone?.close();
  await laptop?.close();
  await server?.dispose();
});

describe('a check-in made offline', () => {
  let date: string;
  let key: string;

  it('is saved on the device and queued while offline', async () => {
    const { page, context } = phone;
    date = await localDate(page);
    key = `checkin|${date}-morning`;
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Check-in', exact: true }).click();
    await page.getByRole('link', { name: 'Morning', exact: true }).click();
    await page.getByTestId('checkin-title').filter({ hasText: 'Today, morning' }).waitFor();
    await radio(page, 'Fatigue', 'Moderate').check();
    await radio(page, 'Brain fog', 'Mild').check();
    await radio(page, 'Sleep quality', 'Good').check();
    await radio(page, 'Mood', 'Okay').check();
    await page.getByRole('checkbox', { name: /in a crash/ }).check();
    await page.getByLabel('Note (optional)').fill('Offline on the train');
    expect(await page.getByTestId('checkin-status').textContent()).toBe('Not saved yet.');
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page.getByTestId('checkin-status').filter({ hasText: 'Saved on this device' }).waitFor();

    const stored = await readDoc(page, key);
    expect(stored?.body).toMatchObject({
      date,
      period: 'morning',
      fatigue: 2,
      brainFog: 1,
      pain: null,
      sleepQuality: 3,
      orthostatic: null,
      mood: 2,
      crash: true,
      note: 'Offline on the train',
    });
    expect((await readOutbox(page)).map((e) => e.key)).toContain(key);
    // The recent list shows it, with the crash flag.
    expect(await page.getByTestId('recent-checkins').textContent()).toContain('Crash');
  });

  it('shows the saved values when opened again (offline, after a reload served by the service worker)', async () => {
    const { page } = phone;
    await page.reload();
    await page.getByTestId('checkin-title').waitFor();
    await page.getByRole('link', { name: 'Morning', exact: true }).click();
    expect(await radio(page, 'Fatigue', 'Moderate').isChecked()).toBe(true);
    expect(await radio(page, 'Sleep quality', 'Good').isChecked()).toBe(true);
    expect(await page.getByLabel('Note (optional)').inputValue()).toBe('Offline on the train');
    // The notification action's target with a period: the evening check-in, still empty.
    await page.goto(`${server.url}/check-in?period=evening`);
    await page.getByTestId('checkin-title').filter({ hasText: 'Today, evening' }).waitFor();
    expect(await radio(page, 'Fatigue', 'Moderate').isChecked()).toBe(false);
    expect(await page.getByLabel('Note (optional)').inputValue()).toBe('');
  });

  it('syncs once back online', async () => {
    const { page, context } = phone;
    await context.setOffline(false);
    await syncNow(page);
    await eventually(
      () => readOutbox(page),
      (outbox) => !outbox.some((e) => e.key === key),
      15_000,
      'the check-in uploaded',
    );
  });

  it("appears on the account's second device after it joins with a pairing code and syncs", async () => {
    const phoneCredentials = await readCredentials(phone.page);
    const { code } = await makePairingCode(server.url, phoneCredentials!.deviceToken);
    await openApp(laptop);
    const { page } = laptop;
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('textbox', { name: 'Pairing code' }).fill(code);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByText('Joined. This device now syncs with that account.').waitFor({ timeout: 10_000 });
    expect((await readCredentials(page))?.accountId).toBe((await readCredentials(phone.page))?.accountId);
    await syncNow(page);

    await page.getByRole('link', { name: 'Check-in', exact: true }).click();
    await page.getByRole('link', { name: 'Morning', exact: true }).click();
    await eventually(() => radio(page, 'Fatigue', 'Moderate').isChecked(), Boolean, 5_000, 'the synced fatigue rating shown');
    expect(await radio(page, 'Brain fog', 'Mild').isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /in a crash/ }).isChecked()).toBe(true);
    expect(await page.getByLabel('Note (optional)').inputValue()).toBe('Offline on the train');
  });

  it('an edit on the second device wins on the first after both sync', async () => {
    const { page } = laptop;
    await radio(page, 'Fatigue', 'Severe').check();
    await page.getByRole('checkbox', { name: /in a crash/ }).uncheck();
    await page.getByLabel('Note (optional)').fill('Edited on the laptop');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('checkin-status').filter({ hasText: 'Saved on this device' }).waitFor();
    await syncNow(page);
    expect((await readOutbox(page)).some((e) => e.key === key)).toBe(false);

    await syncNow(phone.page);
    const stored = await eventually(
      () => readDoc(phone.page, key),
      (doc) => doc?.body.fatigue === 3,
      10_000,
      'the edit stored on the first device',
    );
    expect(stored?.body).toMatchObject({ fatigue: 3, crash: false, note: 'Edited on the laptop', brainFog: 1 });
    // The open screen on the first device shows the edit (it reloads after a sync).
    await phone.page.getByRole('link', { name: 'Check-in', exact: true }).click();
    await phone.page.getByRole('link', { name: 'Morning', exact: true }).click();
    await eventually(() => radio(phone.page, 'Fatigue', 'Severe').isChecked(), Boolean, 5_000, 'the edit shown on the first device');
    expect(await phone.page.getByLabel('Note (optional)').inputValue()).toBe('Edited on the laptop');
  });
});
