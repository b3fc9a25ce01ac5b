// Background Sync, as the page and the service worker see it (https://wicg.github.io/background-sync/spec/,
// the IDL index): not in TypeScript's DOM or WebWorker lib. Its `sync` event is in service-worker-events.d.ts.

/** https://wicg.github.io/background-sync/spec/#sync-manager-interface */
interface SyncManager {
  register(tag: string): Promise<void>;
  getTags(): Promise<string[]>;
}

interface ServiceWorkerRegistration {
  /** Always there by the spec; optional here because Firefox and Safari have none. */
  readonly sync?: SyncManager;
}
