import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineSession, engineSession } from '../helpers/engine-session';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { launchWebKit } from '../helpers/webkit';
import { coreScenario } from './engine-scenario';

// The Safari engine (WebKitGTK): no Push in a tab, no Background Sync, Periodic Sync, Background
// Fetch or Web Bluetooth, and no navigator.storage unless its StorageAPI feature is on.
const scenario = coreScenario(launchWebKit, 18314, {
  'nightly-sync': 'open',
  'upload-retry': 'page',
  'other-devices': 'page',
  backups: 'in-page',
  armband: 'demo',
  storage: 'none',
});

/** The text of the Settings row about storage. */
const storageRow = (session: EngineSession) =>
  session.run(() => document.querySelector('[data-feature="storage"]')?.textContent ?? '', null);

describe('WebKit', () => {
  it('works without navigator.storage and says so', async () => {
    const session = scenario.session();
    expect(await session.run(() => 'storage' in navigator, null)).toBe(false);
    expect((await scenario.shownMechanisms()).storage).toBe('none');
    expect(await storageRow(session)).toContain('This browser has no Storage API');
  });
});

describe('WebKit with its Storage API on (as in Safari 17+)', () => {
  let server: TestServer;
  let session: EngineSession;
  beforeAll(async () => {
    server = await startTestServer({ staticDir: builtAppDir() });
    session = engineSession(await launchWebKit({ storageApi: true }));
  }, 60_000);
  afterAll(async () => {
    await session?.close();
    await server?.dispose();
  });

  it('finds navigator.storage and offers to keep the data', async () => {
    await session.goto(`${server.url}/settings`);
    const row = await session.run(async () => {
      for (let i = 0; i < 100 && !document.querySelector('[data-feature="storage"]'); i++) await new Promise((r) => setTimeout(r, 100));
      const element = document.querySelector('[data-feature="storage"]');
      return { has: 'storage' in navigator, mechanism: element?.getAttribute('data-mechanism'), text: element?.textContent ?? '' };
    }, null);
    expect(row).toEqual({ has: true, mechanism: 'storage-api', text: expect.stringContaining('ask the browser to keep its data') });
  });
});
