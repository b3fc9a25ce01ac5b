import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ListDevicesResponse } from '../../src/shared/api';

/** Every screen of the app: its path, its label in the navigation, and its heading. */
export const SCREENS = [
  { path: '/', label: 'Today', heading: 'Today' },
  { path: '/check-in', label: 'Check-in', heading: 'Check-in' },
  { path: '/trends', label: 'Trends', heading: 'Trends' },
  { path: '/messages', label: 'Messages', heading: 'Messages' },
  { path: '/sync', label: 'Sync', heading: 'Sync & background' },
  { path: '/settings', label: 'Settings', heading: 'Settings' },
] as const;

/** The notice shown while a first run waits for the server to create its account. */
export const ACCOUNT_PENDING_TEXT = 'Setting up sync: waiting for the server';

/** GET /api/devices as the device with `token`: the status, and the list when it is 200. */
export async function listDevices(baseUrl: string, token: string): Promise<{ status: number; body: ListDevicesResponse | null }> {
  const response = await fetch(`${baseUrl}/api/devices`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: response.status === 200 ? ((await response.json()) as ListDevicesResponse) : null };
}

/** The ids of every account in the server's SQLite database in `dataDir`, read straight from the file. */
export function accountIdsInDatabase(dataDir: string): string[] {
  const db = new SQLite(path.join(dataDir, 'steady.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select id from accounts order by created_at').all() as { id: string }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}

/** The screen at `path`. */
export function screenAt(path: (typeof SCREENS)[number]['path']): (typeof SCREENS)[number] {
  const screen = SCREENS.find((candidate) => candidate.path === path);
  if (!screen) throw new Error(`no screen at ${path}`);
  return screen;
}

/** Asserts the page shows `screen`: its heading and, in the navigation, its link as current. */
export async function expectScreen(page: Page, screen: (typeof SCREENS)[number]): Promise<void> {
  await page.locator('main h1').filter({ hasText: screen.heading }).waitFor({ timeout: 5_000 });
  expect(await page.locator('main h1').textContent()).toBe(screen.heading);
  expect(new URL(page.url()).pathname).toBe(screen.path);
  expect(await navLink(page, screen.label).getAttribute('aria-current')).toBe('page');
}

/** The navigation link to a screen, by its label. */
export function navLink(page: Page, label: string) {
  return page.locator('nav[aria-label="Main"] a').filter({ has: page.locator('span', { hasText: new RegExp(`^${label}$`) }) });
}
