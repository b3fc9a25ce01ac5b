import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { expectScreen, navLink, SCREENS } from '../helpers/steady-app';

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
  browser = await launchBrowser({ bluetooth: true });
});
afterAll(async () => {
  // close() fails the file if any page reported a CSP violation.
  await browser?.close();
  await server?.dispose();
});

describe('the app under its own security headers', () => {
  it('loads, installs its service worker and shows every screen with no CSP violation', async () => {
    const { page } = browser;
    const response = await page.goto(`${server.url}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    await waitForController(page);
    // Again under the service worker, which answers the shell from its precache.
    await page.reload();
    for (const screen of SCREENS) {
      await navLink(page, screen.label).click();
      await expectScreen(page, screen);
    }
    await page.waitForLoadState('networkidle');
    expect(browser.cspViolations).toEqual([]);
  });

  it('allows Bluetooth for the app itself and not the camera', async () => {
    const allowed = await browser.page.evaluate(() => {
      const policy = (document as Document & { featurePolicy?: { allowsFeature(name: string): boolean } }).featurePolicy;
      return policy ? { bluetooth: policy.allowsFeature('bluetooth'), camera: policy.allowsFeature('camera') } : null;
    });
    expect(allowed).toEqual({ bluetooth: true, camera: false });
  });

  it('would notice a violation: an inline script is blocked, reported, and fails the browser close', async () => {
    const probe = await launchBrowser();
    try {
      await probe.page.goto(`${server.url}/`);
      const ran = await probe.page.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.head.append(script);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return (window as Window & { __inlineRan?: boolean }).__inlineRan === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => probe.cspViolations.length).toBeGreaterThan(0);
    } finally {
      await expect(probe.close()).rejects.toThrow(/Content-Security-Policy violations/);
    }
  });
});
