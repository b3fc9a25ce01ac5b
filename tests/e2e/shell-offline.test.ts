import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForCredentials } from '../helpers/app-db';
import { launchBrowser, recordResponses, registrationSnapshot, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { expectScreen, listDevices, navLink, SCREENS, screenAt } from '../helpers/steady-app';

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

// One browser walks the first run in order: install, account, then everything offline.
describe('the app shell', () => {
  it('installs a service worker that activates and controls the page', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await waitForController(page);
    expect(await registrationSnapshot(page)).toEqual({ controller: 'activated', active: 'activated', waiting: null, installing: null });
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.url}/sw.js`);
  });

  it('is installable, with a standalone manifest, real icons, shortcuts and screenshots', async () => {
    const { cdp } = browser;
    expect(await cdp.send('Page.getInstallabilityErrors')).toEqual({ installabilityErrors: [] });
    const { errors, data, url } = await cdp.send('Page.getAppManifest');
    expect(errors).toEqual([]);
    expect(url).toBe(`${server.url}/manifest.webmanifest`);
    const manifest = JSON.parse(data ?? '{}') as {
      display?: string;
      start_url?: string;
      icons?: { src: string; sizes: string; type: string }[];
      shortcuts?: { name: string; url: string; icons?: { src: string; sizes: string; type: string }[] }[];
      screenshots?: { src: string; sizes: string; type: string; form_factor?: string }[];
      launch_handler?: { client_mode: string[] };
    };
    expect(manifest.display).toBe('standalone');
    expect(manifest.start_url).toBe('/');
    expect(manifest.icons?.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.shortcuts?.map(({ name, url }) => ({ name, url }))).toEqual([
      { name: 'Check in', url: '/check-in' },
      { name: 'Morning reading', url: '/measure' },
      { name: 'Rest mode', url: '/rest' },
    ]);
    // Chrome's richer install sheet wants at least one of each form factor.
    expect(new Set(manifest.screenshots?.map((shot) => shot.form_factor))).toEqual(new Set(['narrow', 'wide']));
    expect(manifest.launch_handler).toEqual({ client_mode: ['focus-existing', 'auto'] });
    const icons = [
      ...(manifest.icons ?? []),
      ...(manifest.shortcuts ?? []).flatMap((shortcut) => shortcut.icons ?? []),
      ...(manifest.screenshots ?? []),
    ];
    for (const icon of icons) {
      const response = await fetch(new URL(icon.src, server.url));
      expect(response.status, icon.src).toBe(200);
      expect(pngSize(Buffer.from(await response.arrayBuffer())), icon.src).toBe(icon.sizes);
    }
  });

  it('creates its account on first run, and the server knows the device', async () => {
    const credentials = await waitForCredentials(browser.page);
    const { status, body } = await listDevices(server.url, credentials.deviceToken);
    expect(status).toBe(200);
    expect(body?.devices).toEqual([expect.objectContaining({ id: credentials.deviceId, current: true })]);
    expect((await listDevices(server.url, 'x'.repeat(43))).status).toBe(401);
  });

  it('offline, a reload of every screen is answered by the service worker and renders it', async () => {
    const { context, page } = browser;
    await context.setOffline(true);
    try {
      for (const screen of SCREENS) {
        const seen = recordResponses(page);
        const navigation = await page.goto(`${server.url}${screen.path}`);
        expect(navigation?.fromServiceWorker(), `${screen.path} came from the network`).toBe(true);
        expect(navigation?.status()).toBe(200);
        await expectScreen(page, screen);
        const reload = await page.reload();
        expect(reload?.fromServiceWorker(), `reload of ${screen.path} came from the network`).toBe(true);
        await expectScreen(page, screen);
        seen.stop();
        const shell = seen.responses.filter(({ url }) => url.startsWith(server.url) && !new URL(url).pathname.startsWith('/api/'));
        expect(shell.length).toBeGreaterThanOrEqual(6); // two documents, and their script, stylesheet, manifest, icons
        expect(shell.filter((response) => !response.fromServiceWorker || response.status !== 200)).toEqual([]);
      }
    } finally {
      await context.setOffline(false);
    }
  });

  it('offline, the navigation links reach every screen', async () => {
    const { context, page } = browser;
    await context.setOffline(true);
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    try {
      await page.goto(`${server.url}/settings`);
      await expectScreen(page, screenAt('/settings'));
      for (const screen of SCREENS) {
        await navLink(page, screen.label).click();
        await expectScreen(page, screen);
      }
      expect(failed.filter((url) => !new URL(url).pathname.startsWith('/api/'))).toEqual([]);
    } finally {
      await context.setOffline(false);
    }
  });
});
