import { describe, expect, it } from 'vitest';
import { detectBackgroundCapabilities } from '../../src/pwa/background-capabilities';

// The shapes of ServiceWorkerRegistration.prototype in the browsers Steady meets (MDN compat data, 2026).
class PushManager {}
class Notification {}
const chromium = { periodicSync: 0, sync: 0, backgroundFetch: 0, pushManager: 0, showNotification: 0 };
const firefox = { pushManager: 0, showNotification: 0 };
const safariTab = { showNotification: 0 };

describe('detectBackgroundCapabilities', () => {
  it('finds everything in Chromium', () => {
    expect(detectBackgroundCapabilities({ ServiceWorkerRegistration: { prototype: chromium }, PushManager, Notification })).toEqual({
      periodicSync: true,
      backgroundSync: true,
      backgroundFetch: true,
      push: true,
      notifications: true,
    });
  });

  it('finds only push and notifications in Firefox', () => {
    expect(detectBackgroundCapabilities({ ServiceWorkerRegistration: { prototype: firefox }, PushManager, Notification })).toEqual({
      periodicSync: false,
      backgroundSync: false,
      backgroundFetch: false,
      push: true,
      notifications: true,
    });
  });

  it('finds no push in a Safari tab that is not a home-screen app', () => {
    expect(detectBackgroundCapabilities({ ServiceWorkerRegistration: { prototype: safariTab } }).push).toBe(false);
  });

  it('answers all false without service workers at all', () => {
    expect(Object.values(detectBackgroundCapabilities({}))).toEqual([false, false, false, false, false]);
  });
});
