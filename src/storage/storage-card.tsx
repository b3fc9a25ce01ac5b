import { useEffect } from 'preact/hooks';
import { refreshStorageHealth, storageHealth } from './storage-health';

function megabytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.max(0.1, bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** What this device keeps, and whether the browser may clear it under pressure. */
export function StorageCard() {
  useEffect(() => void refreshStorageHealth(), []);
  const { persisted, usage, quota } = storageHealth.value;
  return (
    <section class="card" aria-labelledby="storage-title" data-testid="storage-card">
      <h2 id="storage-title" class="card-title">
        Storage on this device
      </h2>
      <ul class="plain">
        <li>
          <strong>Kept safe: </strong>
          {persisted === null
            ? 'this browser does not say whether it may clear site data. Sync keeps a copy on the server.'
            : persisted
              ? 'yes. The browser will not clear Steady’s data to free space.'
              : 'not yet. Under storage pressure the browser could clear data that has not synced; Steady asks again once you record, and installing the app helps.'}
        </li>
        {usage !== null && quota !== null && (
          <li>
            <strong>Used: </strong>
            {megabytes(usage)} of the {megabytes(quota)} this browser allows Steady.
          </li>
        )}
      </ul>
    </section>
  );
}

/** The banner for a write that failed: shown on every screen while it lasts. */
export function StorageBanner() {
  const problem = storageHealth.value.writeProblem;
  if (!problem) return null;
  return (
    <div class="banner banner-storage" role="alert" data-testid="storage-banner">
      {problem.kind === 'full' ? (
        <p>
          This device’s storage is full. Steady is holding {problem.waitingSamples.toLocaleString()} new readings in memory and saves them
          as soon as there is room; nothing waiting to sync is deleted. Free some space on the device, and keep Steady open until this
          notice goes.
        </p>
      ) : (
        <p>
          Steady could not save new readings ({problem.message}). It is holding {problem.waitingSamples.toLocaleString()} in memory and
          keeps trying; keep Steady open until this notice goes.
        </p>
      )}
    </div>
  );
}
