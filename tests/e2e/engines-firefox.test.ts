import { describe, expect, it } from 'vitest';
import { launchFirefox } from '../helpers/firefox';
import { coreScenario } from './engine-scenario';

// Firefox: no Background Sync, Periodic Sync, Background Fetch or Web Bluetooth; Push exists.
const scenario = coreScenario(launchFirefox, 18313, {
  'nightly-sync': 'open-or-push',
  'upload-retry': 'page',
  'other-devices': 'push',
  backups: 'in-page',
  armband: 'demo',
  'tab-coordination': 'web-locks',
  storage: 'storage-api',
});

describe('Firefox', () => {
  it('offers push-driven sync and says so', async () => {
    const session = scenario.session();
    expect(await session.run(() => 'PushManager' in globalThis && !('SyncManager' in globalThis), null)).toBe(true);
    expect((await scenario.shownMechanisms())['other-devices']).toBe('push');
    const card = await session.run(() => document.querySelector('[data-feature="nightly-sync"]')?.textContent ?? '', null);
    expect(card).toContain('when the server nudges you');
    // The Updates card offers to turn push on (subscribing for real: push-sync-firefox.test.ts, with the autopush stand-in).
    const buttons = await session.run(() => [...document.querySelectorAll('button')].map((button) => button.textContent), null);
    expect(buttons).toContain('Get updates from your other devices and messages');
  });
});
