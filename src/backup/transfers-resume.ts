import { updateTransfer } from '../db/backup-transfers';
import { assertNever } from '../shared/assert-never';
import type { TransferBroadcast } from '../shared/messages';
import { CHANNELS } from '../shared/names';
import { backgroundFetchManager } from './background-fetch';
import { onWorkerProgress, runInWorker } from './backup-worker-client';
import { watch } from './transfers-background-fetch';
import { refreshTransfers, setLive, transfers } from './transfers-state';
import { runTus } from './transfers-upload';

/** A Background Fetch the browser no longer knows, and unchanged this long, ended unseen. */
const ORPHAN_AFTER_MS = 5 * 60_000;

let started = false;

/**
 * Starts keeping `transfers` current (from IndexedDB, and on every change announced by the
 * page, the worker or the service worker), and picks up what was left running: tus uploads and
 * ranged downloads resume from where they stopped, Background Fetches are watched again.
 * Idempotent; the page calls it once.
 */
export function startTransfers(): void {
  if (started) return;
  started = true;
  const channel = new BroadcastChannel(CHANNELS.transfers);
  channel.addEventListener('message', (event: MessageEvent<TransferBroadcast>) => {
    const broadcast = event.data;
    switch (broadcast.type) {
      case 'TRANSFER_CHANGED':
        void refreshTransfers();
        break;
      default:
        assertNever(broadcast.type);
    }
  });
  onWorkerProgress(({ transferId, bytesDone, bytesTotal }) => setLive(transferId, bytesDone, bytesTotal));
  void refreshTransfers().then(resumeTransfers);
}

async function resumeTransfers(): Promise<void> {
  const manager = await backgroundFetchManager().catch(() => null);
  for (const transfer of transfers.value) {
    if (transfer.state === 'packing') {
      // The worker that was packing went with the page that started it.
      await updateTransfer(transfer.id, () => ({
        state: 'failed',
        error: 'Steady was closed while packing the backup',
        finishedAt: Date.now(),
      }));
    } else if (transfer.state === 'running' && transfer.mode === 'tus') {
      void runTus(transfer.id);
    } else if ((transfer.state === 'running' || transfer.state === 'importing') && transfer.mode === 'ranged') {
      void runInWorker({ type: 'DOWNLOAD', transferId: transfer.id });
    } else if (transfer.state === 'importing' && transfer.mode === 'background-fetch') {
      // The service worker stopped mid-import (or is still at it: the import takes a Web Lock, so one of them waits).
      void runInWorker({ type: 'DOWNLOAD', transferId: transfer.id });
    } else if (transfer.state === 'running' && transfer.mode === 'background-fetch' && transfer.fetchId && manager) {
      const registration = await manager.get(transfer.fetchId);
      if (registration) watch(transfer, registration);
      else if (Date.now() - transfer.updatedAt > ORPHAN_AFTER_MS) {
        // The browser no longer has it and the service worker never heard how it ended (e.g. site data cleared).
        await updateTransfer(transfer.id, () => ({ state: 'failed', error: 'the browser dropped this transfer', finishedAt: Date.now() }));
      }
    }
  }
}
