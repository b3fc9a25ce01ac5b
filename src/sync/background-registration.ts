import { signal } from '@preact/signals';
import { PERIODIC_SYNC_MIN_INTERVAL } from '../shared/background-tags';
import { PERIODIC_SYNC_TAG, SYNC_TAG } from '../shared/names';

/** What this browser does for sync while Steady is closed, for Settings and the Sync screen. */
export type BackgroundSyncState = {
  backgroundSync: 'available' | 'unsupported' | 'denied';
  periodicSync: { kind: 'active'; tags: string[] } | { kind: 'unsupported' } | { kind: 'not-allowed'; why: string } | { kind: 'checking' };
};

export const backgroundState = signal<BackgroundSyncState>({
  backgroundSync: 'available',
  periodicSync: { kind: 'checking' },
});

// The sync managers' types: src/types/background-sync.d.ts and periodic-background-sync.d.ts.
async function registration(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  return navigator.serviceWorker.ready;
}

/** Asks the browser to fire `sync` when it is online again (Background Sync). */
export async function registerBackgroundSync(): Promise<boolean> {
  const reg = await registration();
  if (!reg?.sync) {
    backgroundState.value = { ...backgroundState.value, backgroundSync: 'unsupported' };
    return false;
  }
  try {
    await reg.sync.register(SYNC_TAG);
    return true;
  } catch {
    // NotAllowedError: the user or the browser turned background sync off for this site.
    backgroundState.value = { ...backgroundState.value, backgroundSync: 'denied' };
    return false;
  }
}

/**
 * Registers the nightly Periodic Background Sync where the browser allows it. Chrome allows it
 * only for an installed app with enough site engagement; the state says which case applies.
 */
export async function registerPeriodicSync(): Promise<void> {
  const reg = await registration();
  const hasSync = Boolean(reg?.sync);
  if (!reg?.periodicSync) {
    backgroundState.value = { backgroundSync: hasSync ? 'available' : 'unsupported', periodicSync: { kind: 'unsupported' } };
    return;
  }
  const permission = await navigator.permissions
    .query({ name: 'periodic-background-sync' as PermissionName })
    .then((status) => status.state)
    .catch(() => 'denied' as const);
  if (permission !== 'granted') {
    backgroundState.value = {
      backgroundSync: hasSync ? 'available' : 'unsupported',
      periodicSync: {
        kind: 'not-allowed',
        why: 'Install Steady to your home screen or desktop: the browser allows nightly sync only for installed apps.',
      },
    };
    return;
  }
  try {
    await reg.periodicSync.register(PERIODIC_SYNC_TAG, { minInterval: PERIODIC_SYNC_MIN_INTERVAL });
    backgroundState.value = {
      backgroundSync: hasSync ? 'available' : 'unsupported',
      periodicSync: { kind: 'active', tags: await reg.periodicSync.getTags() },
    };
  } catch (error) {
    backgroundState.value = {
      backgroundSync: hasSync ? 'available' : 'unsupported',
      periodicSync: { kind: 'not-allowed', why: error instanceof Error ? error.message : String(error) },
    };
  }
}
