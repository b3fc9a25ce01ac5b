// Background Fetch, as the page and the service worker see it (https://wicg.github.io/background-fetch/,
// the IDL index): not in TypeScript's DOM or WebWorker lib. The events only a service worker gets are
// in service-worker-events.d.ts.

/** https://wicg.github.io/background-fetch/#background-fetch-manager */
interface BackgroundFetchManager {
  fetch(id: string, requests: RequestInfo | RequestInfo[], options?: BackgroundFetchOptions): Promise<BackgroundFetchRegistration>;
  /** Undefined when no active fetch has that id. */
  get(id: string): Promise<BackgroundFetchRegistration | undefined>;
  getIds(): Promise<readonly string[]>;
}

/** https://wicg.github.io/background-fetch/#dictdef-backgroundfetchuioptions */
interface BackgroundFetchUIOptions {
  icons?: BackgroundFetchImageResource[];
  title?: string;
}

/** https://w3c.github.io/image-resource/#dom-imageresource (not in TypeScript's libs either). */
interface BackgroundFetchImageResource {
  src: string;
  sizes?: string;
  type?: string;
  label?: string;
}

/** https://wicg.github.io/background-fetch/#dictdef-backgroundfetchoptions */
interface BackgroundFetchOptions extends BackgroundFetchUIOptions {
  downloadTotal?: number;
}

type BackgroundFetchResult = '' | 'success' | 'failure';
type BackgroundFetchFailureReason = '' | 'aborted' | 'bad-status' | 'fetch-error' | 'quota-exceeded' | 'download-total-exceeded';

/** https://wicg.github.io/background-fetch/#background-fetch-registration */
interface BackgroundFetchRegistration extends EventTarget {
  readonly id: string;
  readonly uploadTotal: number;
  readonly uploaded: number;
  readonly downloadTotal: number;
  readonly downloaded: number;
  readonly result: BackgroundFetchResult;
  readonly failureReason: BackgroundFetchFailureReason;
  readonly recordsAvailable: boolean;
  onprogress: ((this: BackgroundFetchRegistration, event: Event) => unknown) | null;
  abort(): Promise<boolean>;
  match(request: RequestInfo, options?: CacheQueryOptions): Promise<BackgroundFetchRecord | undefined>;
  matchAll(request?: RequestInfo, options?: CacheQueryOptions): Promise<BackgroundFetchRecord[]>;
}

/** https://wicg.github.io/background-fetch/#background-fetch-record-interface */
interface BackgroundFetchRecord {
  readonly request: Request;
  readonly responseReady: Promise<Response>;
}

interface ServiceWorkerRegistration {
  /**
   * Always there by the spec; optional here because Firefox and Safari have none, so every use
   * must check for it first.
   */
  readonly backgroundFetch?: BackgroundFetchManager;
}
