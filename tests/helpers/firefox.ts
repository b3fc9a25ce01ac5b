import fs from 'node:fs';
import puppeteer, { type Browser, type ElementHandle } from 'puppeteer-core';
import type { EngineDriver } from './engine-session';

/** Where Firefox is; `npm test` fails with this message rather than skip (.ci/run installs it). */
export function firefoxPath(): string {
  const executable = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!fs.existsSync(executable)) {
    throw new Error(
      `Firefox not found at ${executable}. Browser tests need it: "apt-get install firefox-esr" (Debian), or set FIREFOX_PATH.`,
    );
  }
  return executable;
}

/**
 * Headless Firefox over WebDriver BiDi with a fresh profile. `prefs` go into its user.js
 * (puppeteer's `extraPrefsFirefox`): user values win over BiDi's recommended prefs.
 */
export function launchFirefoxBrowser(prefs: Record<string, string | number | boolean> = {}): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: prefs,
  });
}

/**
 * Debian's Firefox ESR over WebDriver BiDi with puppeteer-core (browser-testing.md, "Firefox").
 * Trap: `page.setOfflineMode` does not reach the service worker's fetches; stop the server instead.
 */
export async function launchFirefox(): Promise<EngineDriver> {
  const browser = await launchFirefoxBrowser();
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  const lines: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') lines.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => lines.push(`uncaught: ${error instanceof Error ? error.message : String(error)}`));
  return {
    engine: 'firefox',
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    async click(expression) {
      const handle = (await page.evaluateHandle(expression)).asElement();
      if (!handle) throw new Error(`nothing to click: ${expression}`);
      await (handle as ElementHandle<Element>).click();
    },
    consoleLines: () => lines,
    quit: () => browser.close(),
  };
}
