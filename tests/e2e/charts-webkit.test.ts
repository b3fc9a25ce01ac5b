import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/armband-emulation';
import { copyBuiltApp } from '../helpers/built-app';
import { type EngineSession, engineSession } from '../helpers/engine-session';
import { builtAppDir, startTestServer } from '../helpers/server';
import { launchWebKit } from '../helpers/webkit';

// Issue 16, part 1, where it was found: WebKitGTK on a machine at the C locale. Under
// LANG=C.UTF-8 (Debian's default when no locale is set) it reports navigator.language "C",
// and uPlot's `new Intl.NumberFormat(navigator.language)` threw as the chart chunk loaded;
// WebKit then hands the half-evaluated module to the next import, so the live chart after
// Check-in → Today failed to draw with an error nothing caught. chart-loading.test.ts covers
// the same in Chromium, there by overriding navigator.language.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ERRORS = '__steadyPageErrors';

/** The app from `staticDir` in WebKitGTK under `locale`, on Today, watching for errors nothing caught. */
async function open(staticDir: string, locale: string): Promise<EngineSession> {
  const server = await startTestServer({ staticDir });
  cleanups.push(() => server.dispose());
  const session = engineSession(await launchWebKit({ locale }));
  cleanups.push(() => session.close());
  await session.goto(`${server.url}/`);
  // WebKitWebDriver has no init scripts and no console: listen once the page is there (the
  // charts load later, and every screen after this is in the same document).
  await session.run((key) => {
    const seen: string[] = [];
    (globalThis as unknown as Record<string, string[]>)[key] = seen;
    addEventListener('error', (event) => seen.push(`error: ${event.message}`));
    addEventListener('unhandledrejection', (event) => seen.push(`unhandled: ${String(event.reason)}`));
  }, ERRORS);
  return session;
}

/** Uncaught errors and unhandled rejections since `open`. */
const pageErrors = (session: EngineSession) =>
  session.run((key) => (globalThis as unknown as Record<string, string[]>)[key] ?? ['not watched'], ERRORS);

interface Charts {
  canvases: number;
  failed: (string | null)[];
}

/** Once the charts in `css` have drawn or said they could not: their canvases and "could not load" messages. */
const settledCharts = (session: EngineSession, css: string, canvases: number, what: string) =>
  eventually(
    () =>
      session.run(
        (scope): Charts => ({
          canvases: document.querySelectorAll(`${scope} canvas`).length,
          failed: [...document.querySelectorAll(`${scope} .load-failed`)].map((element) => element.textContent),
        }),
        css,
      ),
    (seen) => seen.canvases >= canvases || seen.failed.length > 0,
    10_000,
    what,
  );

const navTo = (session: EngineSession, label: string) => session.click('nav[aria-label="Main"] a', label);

/**
 * The demo armband on Today, a morning check-in (so the daily charts have a value), Today
 * again (the live chart mounts a second time), then Trends: what each chart area showed.
 */
async function visitCharts(session: EngineSession) {
  await session.click('button', 'Try the demo armband');
  const live = await settledCharts(session, '.live-chart', 1, 'the live chart');
  await navTo(session, 'Check-in');
  await session.click('.period-switch a', 'Morning');
  await session.click('[data-testid="rating-fatigue"] label', 'Moderate');
  await session.click('button[type="submit"]', 'Save check-in');
  await eventually(
    () => session.run(() => document.querySelector('[data-testid="checkin-status"]')?.textContent ?? '', null),
    (text) => text.includes('Saved on this device'),
    10_000,
    'the check-in saved',
  );
  await navTo(session, 'Today');
  const liveAgain = await settledCharts(session, '.live-chart', 1, 'the live chart, again');
  await session.click('button', 'Stop demo');
  await navTo(session, 'Trends');
  await eventually(
    () => session.run(() => document.querySelector('.trends')?.getAttribute('data-state') ?? null, null),
    (state) => state === 'ready',
    15_000,
    'Trends ready',
  );
  const day = await settledCharts(session, '.trend-chart:has(.day-plot)', 1, 'the day chart');
  // Each daily chart is a uPlot of its own; the symptom chart has this morning's rating.
  const daily = await settledCharts(session, '.trend-chart[data-series]', 2, 'the daily charts');
  return { live, liveAgain, day, daily };
}

describe('charts in WebKitGTK under the C locale', () => {
  it('draw on Today, again after Check-in → Today, and on Trends, though the browser reports "C"', async () => {
    const session = await open(builtAppDir(), 'C.UTF-8');
    // The premise: this browser reports a language that Intl refuses.
    const language = await session.run(() => {
      try {
        return { language: navigator.language, formatted: new Intl.NumberFormat(navigator.language).format(1) };
      } catch (error) {
        return { language: navigator.language, formatted: (error as Error).name };
      }
    }, null);
    expect(language).toEqual({ language: 'C', formatted: 'RangeError' });

    const drawn = { canvases: expect.any(Number), failed: [] };
    expect(await visitCharts(session)).toEqual({ live: drawn, liveAgain: drawn, day: drawn, daily: drawn });
    expect(await pageErrors(session)).toEqual([]);
  });
});

describe("charts in WebKitGTK when uPlot's chunk throws as it evaluates (as it did under C)", () => {
  it('say they could not load, every time and on every screen, with nothing left unhandled', async () => {
    const copy = copyBuiltApp(builtAppDir());
    cleanups.push(() => copy.dispose());
    const assets = path.join(copy.dir, 'assets');
    const chunk = fs.readdirSync(assets).find((name) => /^uPlot.*\.js$/.test(name));
    expect(chunk).toBeDefined();
    // Its exports stay declared (uPlot is a hoisted function): a throw before any other statement
    // fails the evaluation, not the linking, as Intl's RangeError did.
    const file = path.join(assets, chunk!);
    fs.writeFileSync(file, `throw new RangeError('test: uPlot failed as it loaded');\n${fs.readFileSync(file, 'utf8')}`);
    const session = await open(copy.dir, 'en_US.UTF-8');

    const failed = { canvases: 0, failed: [expect.stringContaining('could not load')] };
    const seen = await visitCharts(session);
    expect(seen).toEqual({ live: failed, liveAgain: failed, day: failed, daily: expect.objectContaining({ canvases: 0 }) });
    expect(seen.daily.failed.length).toBeGreaterThan(0);
    expect(await pageErrors(session)).toEqual([]);
  });
});
