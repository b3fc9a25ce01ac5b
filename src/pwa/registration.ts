import { signal } from '@preact/signals';
import { Workbox } from 'workbox-window';

/** What the page knows about its service worker. */
export type WorkerState = { kind: 'unsupported' } | { kind: 'registering' } | { kind: 'active' } | { kind: 'failed'; message: string };

/** Observed by the UI. */
export const workerState = signal<WorkerState>({ kind: 'registering' });
/** True while a new version has installed and waits for the user's go-ahead. */
export const updateWaiting = signal(false);

let workbox: Workbox | null = null;

/** Registers `/sw.js` once. The owner of the registration for the page's lifetime. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) {
    workerState.value = { kind: 'unsupported' };
    return;
  }
  workbox = new Workbox('/sw.js', { scope: '/', type: import.meta.env.DEV ? 'module' : 'classic' });
  // https://developer.chrome.com/docs/workbox/handling-service-worker-updates
  workbox.addEventListener('waiting', () => {
    updateWaiting.value = true;
  });
  workbox.addEventListener('activated', () => {
    workerState.value = { kind: 'active' };
  });
  // Workbox's `isUpdate` is false for the whole visit that installed the first worker, so an
  // update accepted later in that visit would never reload: track the controller ourselves.
  let controlled = Boolean(navigator.serviceWorker.controller);
  workbox.addEventListener('controlling', () => {
    // A newer worker replaced the one this page ran under: reload into the new version.
    if (controlled) window.location.reload();
    controlled = true;
  });
  // `ready` resolves once a worker is active, whether it was installed now or on an earlier visit.
  void navigator.serviceWorker.ready.then(() => {
    workerState.value = { kind: 'active' };
  });
  workbox.register().then(
    () => undefined,
    (error: unknown) => {
      workerState.value = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    },
  );
}

/** The user accepted the update: activate the waiting worker, then reload on `controlling`. */
export function acceptUpdate(): void {
  workbox?.messageSkipWaiting();
}

/** The user declined: keep running this version; the prompt comes back on the next visit. */
export function declineUpdate(): void {
  updateWaiting.value = false;
}

/** Looks for a new version now (also done by the browser on navigation). */
export function checkForUpdate(): Promise<unknown> {
  return workbox?.update() ?? Promise.resolve();
}
