import { account } from '../account/account';
import { api } from '../api/api';
import { armband } from '../armband/armband-control';
import { closeSteadyDb, DB_NAME, type DeviceCredentials, openSteadyDb } from '../db/schema';
import { ApiRequestError, NetworkError } from '../shared/http-client';
import { TRENDS_CACHE_DB } from '../shared/names';

/** Where the data goes: this browser only, or the account on the server too (every device's synced copy). */
export type DeleteScope = 'device' | 'everywhere';

/** The step in progress, for the screen's live region. */
export type DeleteStep = 'server' | 'recording' | 'push' | 'uploads' | 'caches' | 'storage' | 'database' | 'blocked' | 'done';

/** Why nothing was deleted. Thrown only before anything is: a deletion never stops half-way on purpose. */
export class DeleteRefused extends Error {
  constructor(
    readonly code: 'offline' | 'server-unreachable' | 'server-refused',
    message: string,
  ) {
    super(message);
    this.name = 'DeleteRefused';
  }
}

/** How long a push-service call may take before it is given up (it cannot finish offline). */
const PUSH_TIMEOUT_MS = 5_000;

/**
 * Deletes everything Steady holds for this person, in an order that never leaves a half-way
 * state the person did not choose: the server's copy first (the one step that can fail for
 * reasons outside this browser — if it does, nothing at all is deleted), then this browser's.
 * Ends by deleting the database; the caller reloads into a first run.
 */
export async function deleteEverything(scope: DeleteScope, onStep: (step: DeleteStep) => void): Promise<void> {
  const credentials = await storedCredentials();
  if (scope === 'everywhere' && credentials) {
    if (!navigator.onLine) throw offline();
    onStep('server');
    await deleteAccountOnServer(credentials);
  }
  onStep('recording');
  // Stops the armband (and the demo) so no sample is written after the database is gone.
  await (await armband()).stop().catch((error: unknown) => console.warn('Steady: could not stop recording before deleting', error));
  onStep('push');
  if (scope === 'device' && credentials && navigator.onLine) await leaveAccount(credentials);
  await unsubscribePush();
  onStep('uploads');
  await abortBackgroundFetches();
  onStep('caches');
  await deleteRuntimeCaches();
  onStep('storage');
  localStorage.clear();
  sessionStorage.clear();
  onStep('database');
  await closeSteadyDb();
  await deleteDatabase(DB_NAME, () => onStep('blocked'));
  // Derived from the samples, but it still describes them (days' heart-rate loads).
  await deleteDatabase(TRENDS_CACHE_DB, () => onStep('blocked'));
  onStep('done');
}

function offline(): DeleteRefused {
  return new DeleteRefused(
    'offline',
    'You are offline, so the copy on the server cannot be deleted now. Nothing was deleted. Try again when you are online, or delete on this device only.',
  );
}

async function storedCredentials(): Promise<DeviceCredentials | undefined> {
  const state = account.value;
  if (state.kind === 'ready') return state.credentials;
  return (await openSteadyDb()).get('meta', 'credentials');
}

/** `DELETE /api/accounts/me`; an account that is already gone counts as deleted (a retry after a lost answer). */
async function deleteAccountOnServer(credentials: DeviceCredentials): Promise<void> {
  try {
    await api('deleteAccount', { token: credentials.deviceToken });
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401 && /unknown device token/.test(error.message)) return;
    if (error instanceof NetworkError) {
      throw new DeleteRefused(
        'server-unreachable',
        `The server could not be reached (${error.message}). Nothing was deleted. Try again later.`,
      );
    }
    if (error instanceof ApiRequestError && error.status === 401) {
      throw new DeleteRefused(
        'server-refused',
        'This device was removed from your account, so it cannot delete the account. Nothing was deleted. Delete it from another of your devices, or delete on this device only.',
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new DeleteRefused(
      'server-refused',
      `The server could not delete your account (${reason}). Nothing was deleted. Try again later.`,
    );
  }
}

/**
 * "This device only", online: this device leaves the account (its push subscription and its
 * device record go), so the account's other devices no longer list it. Best effort: the token
 * is deleted with the database either way, so an entry left behind cannot be used.
 */
async function leaveAccount(credentials: DeviceCredentials): Promise<void> {
  const token = credentials.deviceToken;
  await api('deletePushSubscription', { token }).catch(() => undefined);
  await api('revokeDevice', { params: { id: credentials.deviceId }, token }).catch(() => undefined);
}

/** The browser's push subscription: unsubscribed, so the push service drops the endpoint. */
async function unsubscribePush(): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration();
  const subscription = await registration?.pushManager?.getSubscription().catch(() => null);
  if (!subscription) return;
  // Offline, the browser cannot reach its push service and may never answer: do not wait forever.
  await Promise.race([subscription.unsubscribe().catch(() => false), new Promise((resolve) => setTimeout(resolve, PUSH_TIMEOUT_MS))]);
}

/** Backups still uploading in the background (Background Fetch) would send data after it was deleted. */
async function abortBackgroundFetches(): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration();
  const manager = registration?.backgroundFetch;
  if (!manager) return;
  for (const id of await manager.getIds()) await (await manager.get(id))?.abort();
}

/**
 * Every Cache Storage cache except Workbox's precache. The precache holds only the app's own
 * built files (the same for everyone, nothing personal) and lets the app start offline after
 * the deletion; runtime caches are where anything fetched for this person could be kept.
 */
async function deleteRuntimeCaches(): Promise<void> {
  if (!('caches' in globalThis)) return;
  for (const name of await caches.keys()) if (!name.startsWith('workbox-precache')) await caches.delete(name);
}

/**
 * Deletes the database. Every context that opened it through openSteadyDb closes its
 * connection on the resulting `versionchange` (and a page reloads), so `blocked` means a tab
 * that cannot react — an old version, or one frozen in the background — and the deletion
 * finishes as soon as it is closed.
 */
function deleteDatabase(name: string, onBlocked: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('the browser could not delete the database'));
    request.onblocked = onBlocked;
  });
}
