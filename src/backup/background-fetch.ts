// Background Fetch from the page (https://wicg.github.io/background-fetch/); its types are
// declared in src/types/background-fetch.d.ts.

/** The registration's Background Fetch manager, or null where the browser has none. */
export async function backgroundFetchManager(): Promise<BackgroundFetchManager | null> {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.ready;
  return registration.backgroundFetch ?? null;
}

/** Progress of a running fetch, whichever way it goes. */
export function fetchProgress(registration: BackgroundFetchRegistration, direction: 'upload' | 'download') {
  return direction === 'upload'
    ? { done: registration.uploaded, total: registration.uploadTotal || null }
    : { done: registration.downloaded, total: registration.downloadTotal || null };
}
