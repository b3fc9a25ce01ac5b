import type { JSHandle } from 'playwright-core';
import { launchBrowser } from './browser';
import type { EngineDriver } from './engine-session';

/** Chromium through the suite's own launcher (browser.ts), for the cross-engine scenario. */
export async function launchChromiumEngine(): Promise<EngineDriver> {
  const browser = await launchBrowser();
  const { page, context } = browser;
  const lines: string[] = [];
  // The context's console includes the service worker's, as Firefox's page console does.
  context.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') lines.push(`${message.type()}: ${message.text()}`);
  });
  context.on('weberror', (error) => lines.push(`uncaught: ${error.error().message}`));
  return {
    engine: 'chromium',
    async goto(url) {
      await page.goto(url);
    },
    async reload() {
      await page.reload();
    },
    evaluate: (expression) => page.evaluate(expression),
    async click(expression) {
      const handle = ((await page.evaluateHandle(expression)) as JSHandle).asElement();
      if (!handle) throw new Error(`nothing to click: ${expression}`);
      await handle.click();
    },
    consoleLines: () => lines,
    quit: () => browser.close(),
  };
}
