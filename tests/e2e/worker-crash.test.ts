import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForCredentials } from '../helpers/app-db';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { type BuiltAppCopy, copyBuiltApp } from '../helpers/built-app';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { navLink } from '../helpers/steady-app';

// A Web Worker whose script cannot run used to leave its caller waiting forever: "Sync now"
// spun until the page was reloaded. The sync and backup workers here throw as they load.
let copy: BuiltAppCopy;
let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  copy = copyBuiltApp(builtAppDir());
  const assets = path.join(copy.dir, 'assets');
  for (const worker of ['sync', 'backup']) {
    const chunk = fs.readdirSync(assets).find((name) => name.startsWith(`${worker}-worker-`) && name.endsWith('.js'));
    if (!chunk) throw new Error(`no ${worker} worker chunk in the build`);
    fs.writeFileSync(path.join(assets, chunk), `throw new Error('test: the ${worker} worker failed as it loaded');\n`);
  }
  server = await startTestServer({ staticDir: copy.dir });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  copy?.dispose();
});

describe('a Web Worker that cannot start', () => {
  it('fails the sync it was asked for, says so on the Sync screen, and lets the person try again', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await waitForController(page);
    await waitForCredentials(page);
    await navLink(page, 'Sync').click();
    const button = page.getByRole('button', { name: 'Sync now' });
    await button.click();
    // The run ends (the button comes back) and the log says what happened.
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    const log = page.getByTestId('sync-log');
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain('the sync worker failed');
    await expect.poll(() => log.textContent()).toContain('Failed');
    // Again: a fresh worker is started for the next run (and fails the same way), no wedge.
    const failuresBefore = await log.getByText('the sync worker failed').count();
    await button.click();
    await expect.poll(() => log.getByText('the sync worker failed').count(), { timeout: 15_000 }).toBeGreaterThan(failuresBefore);
    await expect.poll(() => button.isEnabled()).toBe(true);
  });

  it('fails the backup it was packing, so the row says so and "Back up everything" works again', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await waitForCredentials(page);
    await navLink(page, 'Settings').click();
    const button = page.getByRole('button', { name: 'Back up everything' });
    const failed = page.locator('[data-testid="transfer"][data-state="failed"]');
    await button.click();
    await expect.poll(() => failed.first().textContent(), { timeout: 15_000 }).toContain('the backup worker failed');
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    // Again: a fresh worker is started (and fails the same way); nothing is left packing.
    await button.click();
    await expect.poll(() => failed.count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => button.isEnabled()).toBe(true);
    expect(await page.locator('[data-testid="transfer"][data-state="packing"]').count()).toBe(0);
  });
});
