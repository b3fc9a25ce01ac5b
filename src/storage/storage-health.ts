import { signal } from '@preact/signals';
import { onRecordingEvent } from '../recording/recording-events';

/** What the page knows about this origin's storage (https://storage.spec.whatwg.org/). */
export interface StorageHealth {
  /** `navigator.storage.persisted()`; null where the Storage API is missing. */
  persisted: boolean | null;
  /** Whether Steady has asked for persistence in this page (it asks once, see askForPersistence). */
  asked: boolean;
  /** `navigator.storage.estimate()`, bytes; null where unknown. */
  usage: number | null;
  quota: number | null;
  /** Set while recorded samples cannot be written; cleared by the next write that succeeds. */
  writeProblem: WriteProblem | null;
}

export interface WriteProblem {
  /** 'full': QuotaExceededError. 'failed': anything else (a blocked upgrade, an I/O error). */
  kind: 'full' | 'failed';
  message: string;
  /** Samples held in memory, waiting for the write to succeed. */
  waitingSamples: number;
  since: number;
}

export const storageHealth = signal<StorageHealth>({ persisted: null, asked: false, usage: null, quota: null, writeProblem: null });

/** QuotaExceededError, by name: IndexedDB reports it as a DOMException, Firefox sometimes as NS_ERROR_DOM_QUOTA_REACHED. */
export function isQuotaError(errorName: string, message = ''): boolean {
  return errorName === 'QuotaExceededError' || /quota/i.test(errorName) || /QuotaExceeded|NS_ERROR_DOM_QUOTA_REACHED/.test(message);
}

/** Reads persistence and the usage estimate into `storageHealth`. */
export async function refreshStorageHealth(): Promise<void> {
  const storage = navigator.storage;
  if (!storage?.estimate) return;
  const [persisted, estimate] = await Promise.all([storage.persisted?.() ?? Promise.resolve(null), storage.estimate()]);
  storageHealth.value = { ...storageHealth.value, persisted, usage: estimate.usage ?? null, quota: estimate.quota ?? null };
}

/**
 * Asks the browser to keep Steady's data under storage pressure. Asked once there is data worth
 * keeping (the first samples written), not on load: Firefox shows a prompt, and Chromium
 * decides from engagement and installation, so a later call (installed, used daily) may be
 * granted where an early one was not. Never asked twice in one page.
 */
export async function askForPersistence(): Promise<boolean | null> {
  const storage = navigator.storage;
  if (!storage?.persist || storageHealth.value.asked) return storageHealth.value.persisted;
  storageHealth.value = { ...storageHealth.value, asked: true };
  const already = (await storage.persisted?.()) ?? false;
  const persisted = already || (await storage.persist());
  storageHealth.value = { ...storageHealth.value, persisted };
  return persisted;
}

/**
 * Follows the recorder: a failed write sets `writeProblem` (the recorder keeps the samples in
 * memory and retries, it never drops them), the next successful write clears it. The first
 * successful write is the moment to ask for persistence.
 */
export function watchStorage(signal: AbortSignal): void {
  // No estimate at start-up: the Storage card reads one when it is shown.
  onRecordingEvent((event) => {
    if (event.type === 'WRITE_FAILED') {
      const previous = storageHealth.value.writeProblem;
      storageHealth.value = {
        ...storageHealth.value,
        writeProblem: {
          kind: isQuotaError(event.errorName, event.message) ? 'full' : 'failed',
          message: event.message,
          waitingSamples: event.waitingSamples,
          since: previous?.since ?? Date.now(),
        },
      };
    } else if (event.type === 'CHUNKS_WRITTEN') {
      if (storageHealth.value.writeProblem) {
        storageHealth.value = { ...storageHealth.value, writeProblem: null };
        void refreshStorageHealth();
      }
      if (!storageHealth.value.asked) void askForPersistence();
    }
  }, signal);
}
