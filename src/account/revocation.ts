import { api } from '../api/api';
import { lastRun } from '../sync/sync-client';
import { account, noticeRevocation } from './account';

/**
 * A sync refused with 401 may mean another device removed this one. The sync log keeps only
 * text, so one cheap authenticated call asks the server, whose `DEVICE_REVOKED` code decides.
 */
export function watchRevocation(signal: AbortSignal): void {
  const stop = lastRun.subscribe((entry) => {
    const state = account.value;
    if (entry?.outcome !== 'not-signed-in' || state.kind !== 'ready') return;
    const token = state.credentials.deviceToken;
    api('listDevices', { token, signal }).catch((error: unknown) => noticeRevocation(error, token));
  });
  signal.addEventListener('abort', stop, { once: true });
}
