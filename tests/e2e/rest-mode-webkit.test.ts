import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineSession, engineSession } from '../helpers/engine-session';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { launchWebKit } from '../helpers/webkit';

// Rest mode in the Safari engine. WebKitGTK under WebDriver refuses every Screen Wake Lock
// request ("NotAllowedError: Permission was denied"; WebKitWebDriver has no permissions command
// to grant it), so what can be tested here is that rest mode asks, says plainly that the screen
// may turn off and why, and asks again when the page is shown after being hidden. Holding the
// lock and getting it back are tested in Chromium (rest-mode.test.ts). The requests are counted
// by wrapping navigator.wakeLock.request on Today before the app routes to /rest in the same
// document: WebKitWebDriver has no init scripts.
let server: TestServer;
let session: EngineSession;

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
  session = engineSession(await launchWebKit());
}, 60_000);
afterAll(async () => {
  await session?.close();
  await server?.dispose();
});

/** Waits until rest mode has asked `asks` times and reports `state`; answers what it saw. */
const waitForWake = (want: { asks: number; state: string }) =>
  session.run(async ({ asks, state }) => {
    const read = () => ({
      asks: (window as unknown as { __wakeAsks: number }).__wakeAsks,
      state: document.querySelector('[data-testid="rest-wake"]')?.getAttribute('data-state') ?? null,
      text: document.querySelector('[data-testid="rest-wake"]')?.textContent ?? '',
    });
    for (let i = 0; i < 100 && (read().asks < asks || read().state !== state); i++) await new Promise((r) => setTimeout(r, 100));
    return read();
  }, want);

describe('rest mode in WebKit', () => {
  it('asks for the wake lock and says plainly that the screen may turn off, and why', async () => {
    await session.goto(`${server.url}/`);
    const wrapped = await session.run(() => {
      const wakeLock = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<unknown> } }).wakeLock;
      if (!wakeLock) return false;
      const counter = window as unknown as { __wakeAsks: number };
      counter.__wakeAsks = 0;
      const request = wakeLock.request.bind(wakeLock);
      wakeLock.request = (type) => {
        counter.__wakeAsks++;
        return request(type);
      };
      history.pushState(null, '', '/rest');
      dispatchEvent(new PopStateEvent('popstate'));
      return true;
    }, null);
    expect(wrapped).toBe(true);
    const seen = await waitForWake({ asks: 1, state: 'lost' });
    expect(seen).toMatchObject({ asks: 1, state: 'lost' });
    expect(seen.text).toContain('The screen may turn off');
    expect(seen.text).toContain('Permission was denied');
  });

  it('asks again when the page is shown after being hidden', async () => {
    await session.run(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
      delete (document as { visibilityState?: unknown }).visibilityState;
      delete (document as { hidden?: unknown }).hidden;
      document.dispatchEvent(new Event('visibilitychange'));
    }, null);
    expect(await waitForWake({ asks: 2, state: 'lost' })).toMatchObject({ asks: 2, state: 'lost' });
  });
});
