import type { Page } from 'playwright-core';
import { readSyncLog, waitForLog } from './app-db';
import { eventually } from './armband-emulation';

/** The local date in the browser (a check-in's id uses the device's own calendar day). */
export const localDate = (page: Page) =>
  page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

/** Goes to the Sync screen through the navigation, taps "Sync now" and waits for that run's log entry. */
export async function syncNow(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Sync', exact: true }).click();
  const button = page.getByRole('button', { name: 'Sync now' });
  await button.waitFor();
  // A run the app started by itself (on opening, on coming online) must end before the button works.
  await eventually(() => button.isEnabled(), Boolean, 20_000, '"Sync now" enabled');
  const before = (await readSyncLog(page)).length;
  await button.click();
  await waitForLog(page, (_entry, log) => log.length > before && ['ok', 'nothing-to-do'].includes(log[log.length - 1]!.outcome));
}

/** A rating group's radio for one level, by the group's legend and the level's word. */
export const radio = (page: Page, group: string, level: string) =>
  page.getByRole('group', { name: new RegExp(`^${group}`) }).getByRole('radio', { name: level, exact: true });
