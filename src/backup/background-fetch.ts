// Background Fetch from the page (https://wicg.github.io/background-fetch/): not in
// TypeScript's DOM lib, so the slice Steady uses is declared here.

export interface BackgroundFetchRegistration extends EventTarget {
  readonly id: string;
  readonly uploadTotal: number;
  readonly uploaded: number;
  readonly downloadTotal: number;
  readonly downloaded: number;
  readonly result: '' | 'success' | 'failure';
  readonly failureReason: string;
  abort(): Promise<boolean>;
}

interface BackgroundFetchManager {
  fetch(id: string, requests: Request[], options?: { title?: string; downloadTotal?: number }): Promise<BackgroundFetchRegistration>;
  get(id: string): Promise<BackgroundFetchRegistration | undefined>;
}

/** The registration's Background Fetch manager, or null where the browser has none. */
export async function backgroundFetchManager(): Promise<BackgroundFetchManager | null> {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.ready;
  if (!('backgroundFetch' in registration)) return null;
  return (registration as ServiceWorkerRegistration & { backgroundFetch: BackgroundFetchManager }).backgroundFetch;
}

/** Progress of a running fetch, whichever way it goes. */
export function fetchProgress(registration: BackgroundFetchRegistration, direction: 'upload' | 'download') {
  return direction === 'upload'
    ? { done: registration.uploaded, total: registration.uploadTotal || null }
    : { done: registration.downloaded, total: registration.downloadTotal || null };
}
