import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page, type Response } from 'playwright-core';

/** Where Chromium is; `npm test` fails with this message rather than skip browser tests. */
export function chromiumPath(): string {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executable)) {
    throw new Error(
      `Chromium not found at ${executable}. Browser tests need it: "apt-get install chromium" (Debian), or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return executable;
}

/** Flags that work on this machine (see shared/docs/browser-testing.md). */
const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Web Bluetooth emulation needs these; Playwright's own two features must stay in the list. */
const BLUETOOTH_ARGS = [
  '--enable-features=CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies,WebBluetooth,WebBluetoothNewPermissionsBackend',
  '--enable-blink-features=WebBluetoothGetDevices,WebBluetoothWatchAdvertisements',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Page-level DevTools session (ServiceWorker, DeviceAccess, Page). */
  cdp: CDPSession;
  /** Browser-level DevTools session (Browser.grantPermissions, BluetoothEmulation, PWA). */
  browserCdp: CDPSession;
  profileDir: string;
  /** Content-Security-Policy violations any page reported so far; `close()` fails on any. */
  cspViolations: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  bluetooth?: boolean;
  /** Reuse a profile (storage survives a browser restart). */
  profileDir?: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/** Launches Chromium with a fresh (or given) profile and opens both DevTools sessions. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<TestBrowser> {
  const profileDir = options.profileDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'steady-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...BASE_ARGS, ...(options.bluetooth ? BLUETOOTH_ARGS : [])],
    viewport: options.viewport ?? { width: 412, height: 915 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const cspViolations = await watchCspViolations(context);
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  const browser = context.browser();
  const browserCdp = browser ? await browser.newBrowserCDPSession() : cdp;
  return {
    context,
    page,
    cdp,
    browserCdp,
    profileDir,
    cspViolations,
    async close() {
      await context.close();
      if (!options.profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
      // The server's CSP is part of the app: whatever it blocked, the app needed and lost.
      if (cspViolations.length > 0) throw new Error(`Content-Security-Policy violations:\n${cspViolations.join('\n')}`);
    },
  };
}

/**
 * Collects every CSP violation in every page of the context: Chromium reports each on the
 * console, and `securitypolicyviolation` (https://w3c.github.io/webappsec-csp/#violation-events)
 * is reported too so that a violation with no console line is not missed.
 */
async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  const marker = '[steady-test] CSP violation:';
  context.on('console', (message) => {
    const text = message.text();
    if (text.startsWith(marker) || (message.type() === 'error' && /Content Security Policy/i.test(text))) violations.push(text);
  });
  await context.addInitScript((prefix: string) => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `${prefix} ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  }, marker);
  return violations;
}

/**
 * Grants every permission Steady uses in one call: Browser.grantPermissions resets whatever
 * it does not list (browser-testing.md, "Permissions (traps)").
 */
export async function grantAllPermissions(browserCdp: CDPSession, origin: string): Promise<void> {
  await browserCdp.send('Browser.grantPermissions', {
    origin,
    permissions: ['notifications', 'backgroundSync', 'periodicBackgroundSync', 'backgroundFetch', 'durableStorage'],
  });
}

/** Waits until a service worker controls the page; fails after `timeoutMs` saying so. */
export async function waitForController(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.evaluate(async (timeout) => {
    const controlled = (async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
      }
      // clients.claim() hands over control while the worker is still 'activating'.
      const controller = navigator.serviceWorker.controller;
      if (controller && controller.state !== 'activated') {
        await new Promise<void>((resolve) =>
          controller.addEventListener('statechange', () => controller.state === 'activated' && resolve()),
        );
      }
    })();
    const expired = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no service worker controls ${location.href} after ${timeout} ms`)), timeout),
    );
    await Promise.race([controlled, expired]);
  }, timeoutMs);
}

/** The page's view of its registration: the state of each worker slot (null when empty). */
export interface RegistrationSnapshot {
  controller: ServiceWorkerState | null;
  active: ServiceWorkerState | null;
  waiting: ServiceWorkerState | null;
  installing: ServiceWorkerState | null;
}

/** Reads the registration's worker slots from the page. */
export async function registrationSnapshot(page: Page): Promise<RegistrationSnapshot> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return {
      controller: navigator.serviceWorker.controller?.state ?? null,
      active: registration?.active?.state ?? null,
      waiting: registration?.waiting?.state ?? null,
      installing: registration?.installing?.state ?? null,
    };
  });
}

/** One response the page received, and whether its service worker answered it. */
export interface SeenResponse {
  url: string;
  status: number;
  fromServiceWorker: boolean;
}

/** Records every response the page receives until `stop()`; the array fills as they arrive. */
export function recordResponses(page: Page): { responses: SeenResponse[]; stop(): void } {
  const responses: SeenResponse[] = [];
  const onResponse = (response: Response) => {
    responses.push({ url: response.url(), status: response.status(), fromServiceWorker: response.fromServiceWorker() });
  };
  page.on('response', onResponse);
  return { responses, stop: () => page.off('response', onResponse) };
}

/** The registration id of the app's service worker, for ServiceWorker.dispatch* commands. */
export async function registrationIdFor(cdp: CDPSession, origin: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no service worker registration for ${origin}/`)), 15_000);
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const match = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (match) {
        clearTimeout(timer);
        resolve(match.registrationId);
      }
    });
    void cdp.send('ServiceWorker.enable');
  });
}
