import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { SCREENS } from '../helpers/steady-app';

// axe-core (https://github.com/dequelabs/axe-core) on every screen, phone and desktop, light and
// dark, with the demo armband streaming so Today shows its live state. Serious and critical
// violations of WCAG 2.1 A/AA fail the test; the message lists each with its nodes.
const PATHS = [...SCREENS.map((screen) => screen.path), '/measure', '/rest', '/report', '/stand-test'];

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
  browser = await launchBrowser();
  await browser.page.goto(`${server.url}/`);
  await waitForController(browser.page);
  await browser.page.getByRole('button', { name: 'Try the demo armband' }).click();
  await browser.page.getByTestId('live-bpm').filter({ hasText: /\d+/ }).waitFor({ timeout: 10_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe.each([
  { name: 'phone, light', viewport: { width: 390, height: 844 }, colorScheme: 'light' as const },
  { name: 'phone, dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const },
  { name: 'desktop, light', viewport: { width: 1280, height: 800 }, colorScheme: 'light' as const },
  { name: 'desktop, dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' as const },
])('axe on every screen ($name)', ({ viewport, colorScheme }) => {
  it.each(PATHS)('%s has no serious or critical violations and fits the width', async (path) => {
    const { page } = browser;
    await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme });
    // In-app navigation keeps the demo armband streaming (a reload would stop it).
    await page.evaluate((to) => {
      history.pushState(null, '', to);
      dispatchEvent(new PopStateEvent('popstate'));
    }, path);
    await page.locator('main h1').first().waitFor();
    // Let lazy parts (charts, cards reading IndexedDB) settle before judging.
    await page.waitForTimeout(400);
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing pushes the page sideways: a phone would scroll the whole screen horizontally.
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll('main *')]
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
    );
    expect(overflowing).toEqual([]);
  });
});

describe('the check itself', () => {
  it('reports a serious violation when there is one (an unnamed button)', async () => {
    const { page } = browser;
    await page.evaluate(() => {
      const button = document.createElement('button');
      button.id = 'axe-probe';
      document.querySelector('main')?.append(button);
    });
    try {
      expect((await seriousViolations(page)).join('\n')).toContain('button-name');
    } finally {
      await page.evaluate(() => document.getElementById('axe-probe')?.remove());
    }
  });
});
