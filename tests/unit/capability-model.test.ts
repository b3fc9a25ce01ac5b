import { describe, expect, it } from 'vitest';
import { probeBrowser, type SurfaceScope } from '../../src/pwa/browser-surface';
import { capabilityModel, type FeatureMechanisms } from '../../src/pwa/capability-model';

// The shapes of each browser's globals (MDN compat data, 2026, and what Firefox ESR 153 and
// WebKitGTK 2.50 report on these machines: shared/docs/browser-testing.md).
class PushManager {}
class Notification {}
class BluetoothDevice {
  watchAdvertisements() {}
}
const registration = (...members: string[]) => ({ prototype: Object.fromEntries(members.map((m) => [m, 0])) });

const chromium: SurfaceScope = {
  navigator: { serviceWorker: {}, bluetooth: { getDevices: () => [] }, locks: {}, storage: {} },
  ServiceWorkerRegistration: registration('periodicSync', 'sync', 'backgroundFetch', 'pushManager', 'showNotification'),
  PushManager,
  Notification,
  BluetoothDevice,
};
const firefox: SurfaceScope = {
  navigator: { serviceWorker: {}, locks: {}, storage: {} },
  ServiceWorkerRegistration: registration('pushManager', 'showNotification'),
  PushManager,
  Notification,
};
/** WebKit in a tab: no push until the app is on the home screen, no navigator.storage unless StorageAPI is on. */
const webkit: SurfaceScope = {
  navigator: { serviceWorker: {}, locks: {} },
  ServiceWorkerRegistration: registration('showNotification'),
  Notification,
};
const webkitStorageApi: SurfaceScope = { ...webkit, navigator: { ...webkit.navigator, storage: {} } };
/** Safari before 15.4: service workers, no Web Locks. */
const oldSafari: SurfaceScope = { navigator: { serviceWorker: {} }, ServiceWorkerRegistration: registration('showNotification') };
/** Push members exist but no service worker (Firefox private windows): nothing that needs a worker is offered. */
const noWorker: SurfaceScope = { navigator: { locks: {}, storage: {} }, PushManager, Notification };

const mechanisms = (scope: SurfaceScope) =>
  Object.fromEntries(capabilityModel(probeBrowser(scope)).map((row) => [row.feature, row.mechanism])) as FeatureMechanisms;

describe('capabilityModel(probeBrowser(...))', () => {
  it.each([
    [
      'Chromium',
      chromium,
      {
        offline: 'service-worker',
        'nightly-sync': 'periodic-sync',
        'upload-retry': 'background-sync',
        'other-devices': 'push',
        backups: 'background-fetch',
        alerts: 'notifications',
        armband: 'web-bluetooth',
        'tab-coordination': 'web-locks',
        storage: 'storage-api',
      },
    ],
    [
      'Firefox',
      firefox,
      {
        offline: 'service-worker',
        'nightly-sync': 'open-or-push',
        'upload-retry': 'page',
        'other-devices': 'push',
        backups: 'in-page',
        alerts: 'notifications',
        armband: 'demo',
        'tab-coordination': 'web-locks',
        storage: 'storage-api',
      },
    ],
    [
      'WebKit',
      webkit,
      {
        offline: 'service-worker',
        'nightly-sync': 'open',
        'upload-retry': 'page',
        'other-devices': 'page',
        backups: 'in-page',
        alerts: 'notifications',
        armband: 'demo',
        'tab-coordination': 'web-locks',
        storage: 'none',
      },
    ],
    ['WebKit with StorageAPI', webkitStorageApi, { ...mechanisms(webkit), storage: 'storage-api' }],
    ['Safari before 15.4', oldSafari, { ...mechanisms(webkit), alerts: 'in-page', 'tab-coordination': 'in-context' }],
    ['no service worker', noWorker, { ...mechanisms(webkit), offline: 'online-only', storage: 'storage-api' }],
  ] as const)('%s', (_name, scope, expected) => {
    expect(mechanisms(scope)).toEqual(expected);
  });

  it('marks exactly the rows without their API as fallbacks, and says so in words', () => {
    const rows = capabilityModel(probeBrowser(firefox));
    expect(rows.filter((row) => row.fallback).map((row) => row.feature)).toEqual(['nightly-sync', 'upload-retry', 'backups', 'armband']);
    expect(rows.find((row) => row.feature === 'nightly-sync')?.says).toBe(
      'Runs when you open Steady or when the server nudges you: this browser has no periodic background sync.',
    );
    expect(rows.find((row) => row.feature === 'upload-retry')?.says).toContain('every 5 minutes while it is on screen');
    expect(capabilityModel(probeBrowser(chromium)).every((row) => !row.fallback)).toBe(true);
  });

  it('finds no armband pieces without Web Bluetooth, and getDevices only where it is a function', () => {
    expect(probeBrowser(firefox)).toMatchObject({ webBluetooth: false, bluetoothGetDevices: false, bluetoothWatchAdvertisements: false });
    const oldChrome = { ...chromium, navigator: { ...chromium.navigator, bluetooth: {} }, BluetoothDevice: registration() };
    expect(probeBrowser(oldChrome)).toMatchObject({ webBluetooth: true, bluetoothGetDevices: false, bluetoothWatchAdvertisements: false });
  });

  it('answers all false for an empty scope', () => {
    expect(Object.values(probeBrowser({})).every((value) => value === false)).toBe(true);
  });
});
