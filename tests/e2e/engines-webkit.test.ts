import { describe, expect, it } from 'vitest';
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

describe('WebKit', () => {
  it('works without navigator.storage and says so', async () => {
    const session = scenario.session();
    expect(await session.run(() => 'storage' in navigator, null)).toBe(false);
    expect((await scenario.shownMechanisms()).storage).toBe('none');
    const row = await session.run(() => document.querySelector('[data-feature="storage"]')?.textContent ?? '', null);
    expect(row).toContain('This browser has no Storage API');
  });
});
