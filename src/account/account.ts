import { signal } from '@preact/signals';
import { api } from '../api/api';
import { switchAccount } from '../db/account-switch';
import { type DeviceCredentials, openSteadyDb } from '../db/schema';
import type { CreateAccountResponse, JoinAccountResponse } from '../shared/api';
import { backoffDelay, sleep } from '../shared/backoff';
import { exclusive } from '../shared/exclusive';
import { ApiRequestError } from '../shared/http-client';

/** The page's view of this device's account. */
export type AccountState =
  | { kind: 'loading' }
  /** First run without the server yet (offline, server down): retrying by itself. */
  | { kind: 'creating'; attempt: number; lastError: string | null }
  | { kind: 'ready'; credentials: DeviceCredentials };

export const account = signal<AccountState>({ kind: 'loading' });

/** A label for this device that a person recognises in the device list. */
export function defaultDeviceName(): string {
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua)
    ? 'Firefox'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Chrom/.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'a device';
  return `${browser} on ${os}`;
}

async function storedCredentials(): Promise<DeviceCredentials | undefined> {
  return (await openSteadyDb()).get('meta', 'credentials');
}

async function store(credentials: DeviceCredentials): Promise<void> {
  await (await openSteadyDb()).put('meta', credentials, 'credentials');
  account.value = { kind: 'ready', credentials };
}

/**
 * Makes sure this device has an account, creating one on first run without asking anything.
 * Offline or with the server down it keeps trying (backoff, and at once on `online`) until it
 * succeeds or `signal` aborts. A Web Lock keeps two tabs from creating two accounts.
 */
export async function ensureAccount(signal: AbortSignal): Promise<void> {
  const existing = await storedCredentials();
  if (existing) {
    account.value = { kind: 'ready', credentials: existing };
    return;
  }
  await exclusive('steady-account', { signal }, async () => {
    for (let attempt = 0; ; attempt++) {
      const again = await storedCredentials(); // another tab may have won the lock first
      if (again) {
        account.value = { kind: 'ready', credentials: again };
        return;
      }
      try {
        const created = await api<CreateAccountResponse>({
          method: 'POST',
          path: '/api/accounts',
          body: { name: defaultDeviceName() },
          signal,
        });
        await store({ ...created, createdAt: new Date().toISOString() });
        return;
      } catch (error) {
        if (signal.aborted) throw error;
        account.value = { kind: 'creating', attempt: attempt + 1, lastError: describe(error) };
        await waitForRetry(attempt, signal);
      }
    }
  });
}

/** Waits the backoff delay, cut short when the browser reports it is back online. */
function waitForRetry(attempt: number, signal: AbortSignal): Promise<void> {
  const controller = new AbortController();
  const onOnline = () => controller.abort();
  window.addEventListener('online', onOnline, { once: true });
  signal.addEventListener('abort', () => controller.abort(), { once: true });
  return sleep(backoffDelay(attempt, 1000, 60_000), controller.signal)
    .catch(() => undefined)
    .finally(() => window.removeEventListener('online', onOnline));
}

/** Joins the account that owns `syncCode`; this device's data then syncs into that account. */
export async function joinAccount(syncCode: string, name: string): Promise<void> {
  const joined = await api<JoinAccountResponse>({ method: 'POST', path: '/api/devices', body: { syncCode, name } });
  const credentials: DeviceCredentials = { ...joined, syncCode, createdAt: new Date().toISOString() };
  await switchAccount(credentials);
  account.value = { kind: 'ready', credentials };
}

export function describe(error: unknown): string {
  if (error instanceof ApiRequestError) return `${error.message} (HTTP ${error.status})`;
  return error instanceof Error ? error.message : String(error);
}
