import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAttention, readOutbox, waitForCredentials } from '../helpers/app-db';
import { eventually } from '../helpers/armband-emulation';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { type BuiltAppCopy, copyBuiltApp } from '../helpers/built-app';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

// Issue 13, part 2: a browser without Web Locks (Safari before 15.4, older WebViews). No engine
// here lacks them and no flag removes them, so the build is served with `navigator.locks`
// deleted at the top of every script: the page, its workers and the service worker.
const NO_LOCKS = 'for (const c of [self.Navigator, self.WorkerNavigator]) if (c) delete c.prototype.locks;\n';

let app: BuiltAppCopy;
let server: TestServer;
let browser: TestBrowser;
let first: Page;
let second: Page;

beforeAll(async () => {
  app = copyBuiltApp(builtAppDir());
  const scripts = [
    path.join(app.dir, 'sw.js'),
    ...fs.readdirSync(path.join(app.dir, 'assets')).map((f) => path.join(app.dir, 'assets', f)),
  ];
  for (const file of scripts.filter((f) => f.endsWith('.js'))) fs.writeFileSync(file, NO_LOCKS + fs.readFileSync(file, 'utf8'));
  server = await startTestServer({ staticDir: app.dir });
  browser = await launchBrowser();
  first = browser.page;
  await first.goto(`${server.url}/`);
  await waitForController(first);
  await waitForCredentials(first);
  second = await browser.context.newPage();
  await second.goto(`${server.url}/`);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  app?.dispose();
});

/** How many times the server holds each record of the account, by `kind|id`. */
function serverCopies(accountDir: string): Map<string, number> {
  const db = new SQLite(path.join(accountDir, 'steady.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("select kind || '|' || record_id as key, count(*) as n from sync_records group by key").all() as {
      key: string;
      n: number;
    }[];
    return new Map(rows.map((row) => [row.key, row.n]));
  } finally {
    db.close();
  }
}

describe('without Web Locks', () => {
  it('runs with the in-context fallback and Settings says so', async () => {
    expect(await first.evaluate(() => 'locks' in navigator)).toBe(false);
    await first.getByRole('link', { name: 'Settings', exact: true }).click();
    const row = first.locator('[data-feature="tab-coordination"]');
    expect(await row.getAttribute('data-mechanism')).toBe('in-context');
    expect(await row.textContent()).toContain('this browser has no Web Locks');
  });

  it('two tabs syncing at once leave every record on the server once, and nothing behind', async () => {
    await first.getByRole('link', { name: 'Check-in', exact: true }).click();
    await first
      .getByRole('group', { name: /^Fatigue/ })
      .getByRole('radio', { name: 'Mild', exact: true })
      .check();
    await first.getByRole('button', { name: 'Save check-in' }).click();
    await first.getByTestId('checkin-status').filter({ hasText: 'Saved on this device' }).waitFor();
    const queued = (await readOutbox(first)).map((entry) => entry.key);
    expect(queued.some((key) => key.startsWith('checkin|'))).toBe(true);
    // Both tabs sync at the same moment; without a shared lock both may send the same records.
    for (const page of [first, second]) await page.getByRole('link', { name: 'Sync', exact: true }).click();
    await Promise.all([first, second].map((page) => page.getByRole('button', { name: 'Sync now' }).click()));
    await eventually(
      () => readOutbox(first),
      (outbox) => outbox.length === 0,
      20_000,
      'an empty outbox',
    );
    const copies = serverCopies(server.dataDir);
    // One row per record (the server's key absorbs a record two tabs both sent), none missing, none parked.
    for (const key of queued) expect([key, copies.get(key)]).toEqual([key, 1]);
    expect(await readAttention(first)).toEqual([]);
  });
});
