// Periodic Background Sync, as the page and the service worker see it
// (https://wicg.github.io/periodic-background-sync/, the IDL index): not in TypeScript's DOM or
// WebWorker lib. Its `periodicsync` event is in service-worker-events.d.ts.

/** https://wicg.github.io/periodic-background-sync/#periodicsyncmanager-interface */
interface PeriodicSyncManager {
  register(tag: string, options?: BackgroundSyncOptions): Promise<void>;
  getTags(): Promise<string[]>;
  unregister(tag: string): Promise<void>;
}

/** https://wicg.github.io/periodic-background-sync/#dictdef-backgroundsyncoptions */
interface BackgroundSyncOptions {
  /** Milliseconds; the browser may wait longer. */
  minInterval?: number;
}

interface ServiceWorkerRegistration {
  /** Always there by the spec; optional here because Firefox and Safari have none. */
  readonly periodicSync?: PeriodicSyncManager;
}
