import { describe } from '../account/account';
import { type Transfer, updateTransfer } from '../db/backup-transfers';
import { backgroundFetchManager, fetchProgress } from './background-fetch';
import { formatBytes } from './format';
import { setLive } from './transfers-state';

/** Registrations whose progress this page already follows. */
const watched = new Set<string>();

/**
 * Hands a request to the browser. The transfer record names the registration before it
 * exists, so the service worker can find it whenever its events fire. Answers false where
 * Background Fetch is missing or refuses (permission, quota): the caller then carries the
 * transfer in the page.
 */
export async function startBackgroundFetch(transfer: Transfer, request: Request, downloadTotal = 0): Promise<boolean> {
  const manager = await backgroundFetchManager();
  if (!manager) return false;
  const fetchId = `${transfer.id}:${transfer.attempt}`;
  await updateTransfer(transfer.id, () => ({ fetchId, mode: 'background-fetch', state: 'running', error: null }));
  const title =
    transfer.direction === 'upload'
      ? `Steady: backing up ${formatBytes(transfer.bytesTotal ?? 0)}`
      : transfer.source === 'history'
        ? 'Steady: downloading your history'
        : `Steady: downloading a backup (${formatBytes(downloadTotal)})`;
  try {
    watch(transfer, await manager.fetch(fetchId, [request], { title, downloadTotal }));
    return true;
  } catch (error) {
    console.warn(`Steady: Background Fetch refused (${describe(error)}); carrying the transfer in this tab instead`);
    const mode = transfer.direction === 'upload' ? 'tus' : 'ranged';
    await updateTransfer(transfer.id, () => ({ mode, fetchId: null }));
    return false;
  }
}

/** Shows a registration's progress as the transfer's live progress (once per registration). */
export function watch(transfer: Pick<Transfer, 'id' | 'direction'>, registration: BackgroundFetchRegistration): void {
  if (watched.has(registration.id)) return;
  watched.add(registration.id);
  const update = () => {
    const { done, total } = fetchProgress(registration, transfer.direction);
    setLive(transfer.id, done, total);
  };
  registration.addEventListener('progress', update);
  update();
}
