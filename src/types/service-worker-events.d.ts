// The events of Background Fetch, Background Sync and Periodic Background Sync, which only a
// service worker receives ([Exposed=ServiceWorker]), so only sw/tsconfig.json compiles this file.
// What the page sees of those APIs is in background-fetch.d.ts, background-sync.d.ts and
// periodic-background-sync.d.ts.

/** https://wicg.github.io/background-fetch/#background-fetch-event */
interface BackgroundFetchEvent extends ExtendableEvent {
  readonly registration: BackgroundFetchRegistration;
}

/** https://wicg.github.io/background-fetch/#background-fetch-update-ui-event */
interface BackgroundFetchUpdateUIEvent extends BackgroundFetchEvent {
  updateUI(options?: BackgroundFetchUIOptions): Promise<void>;
}

/** https://wicg.github.io/background-sync/spec/#sync-event */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

/** https://wicg.github.io/periodic-background-sync/#periodicsyncevent-interface */
interface PeriodicSyncEvent extends ExtendableEvent {
  readonly tag: string;
}

interface ServiceWorkerGlobalScopeEventMap {
  backgroundfetchsuccess: BackgroundFetchUpdateUIEvent;
  backgroundfetchfail: BackgroundFetchUpdateUIEvent;
  backgroundfetchabort: BackgroundFetchEvent;
  backgroundfetchclick: BackgroundFetchEvent;
  sync: SyncEvent;
  periodicsync: PeriodicSyncEvent;
}
