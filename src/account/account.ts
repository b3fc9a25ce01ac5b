import { signal } from '@preact/signals';
import { api } from '../api/api';
import { switchAccount } from '../db/account-switch';
import { type DeviceCredentials, openSteadyDb } from '../db/schema';
import type { JoinAccountRequest } from '../shared/api';
import { backoffDelay, sleep } from '../shared/backoff';
import { exclusive } from '../shared/exclusive';
import { ApiRequestError } from '../shared/http-client';
import { LOCKS } from '../shared/names';

/** The page's view of this device's account. */
export type AccountState =
  | { kind: 'loading' }
  /** First run without the server yet (offline, server down): retrying by itself. */
  | { kind: 'creating'; attempt: number; lastError: string | null }
  | { kind: 'ready'; credentials: DeviceCredentials }
  /** Another device removed this one from the account: its token is dead, its local data kept. */
  | { kind: 'revoked'; credentials: DeviceCredentials };

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
  const db = await openSteadyDb();
  const stored = await db.get('meta', 'credentials');
  // Before pairing codes, the account's permanent sync code was kept here: it joins nothing any more, but it is a secret.
  if (stored && 'syncCode' in stored) {
    const { syncCode: _retired, ...credentials } = stored as DeviceCredentials & { syncCode: unknown };
    await db.put('meta', credentials, 'credentials');
    return credentials;
  }
  return stored;
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
  await exclusive(LOCKS.account, { signal }, async () => {
    for (let attempt = 0; ; attempt++) {
      const again = await storedCredentials(); // another tab may have won the lock first
      if (again) {
        account.value = { kind: 'ready', credentials: again };
        return;
      }
      try {
        const created = await api('createAccount', { body: { name: defaultDeviceName() }, signal });
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

/**
 * Joins the account a pairing code was made for (the code is used up; nothing of it is kept).
 * This device's data then syncs into that account: the caller starts that sync.
 */
export async function joinAccount(pairingCode: string, name: string): Promise<void> {
  const request: JoinAccountRequest = { pairingCode, name };
  // Under ensureAccount's lock: a first-run account still being created must not land after the join and replace it.
  // That lock is held while first-run creation waits for the server: give up after 20 s rather than hang.
  await exclusive(LOCKS.account, { signal: AbortSignal.timeout(20_000) }, async () => {
    const joined = await api('joinDevice', { body: request });
    const credentials: DeviceCredentials = { ...joined, createdAt: new Date().toISOString() };
    await switchAccount(credentials);
    account.value = { kind: 'ready', credentials };
  });
}

/** True for the server's answer to a token another device revoked. */
export function isRevocation(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 401 && error.code === 'DEVICE_REVOKED';
}

/**
 * Records that `error`, answered to a call made with `deviceToken`, says this device was removed.
 * A token this device no longer holds (it has joined another account since) changes nothing.
 */
export function noticeRevocation(error: unknown, deviceToken: string): void {
  const state = account.value;
  if (state.kind === 'ready' && state.credentials.deviceToken === deviceToken && isRevocation(error)) {
    account.value = { kind: 'revoked', credentials: state.credentials };
  }
}

export function describe(error: unknown): string {
  if (error instanceof ApiRequestError) return `${error.message} (HTTP ${error.status})`;
  return error instanceof Error ? error.message : String(error);
}
