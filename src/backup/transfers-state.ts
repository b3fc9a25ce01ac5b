import { signal } from '@preact/signals';
import { account } from '../account/account';
import { listTransfers, type Transfer } from '../db/backup-transfers';
import { nextSample, type RateSample } from './rate';

/** Every transfer kept in IndexedDB, newest first. The Transfers card observes it. */
export const transfers = signal<Transfer[]>([]);
/** Live progress of what is moving now, by transfer id (not persisted: it changes several times a second). */
export const liveProgress = signal<Record<string, { done: number; total: number | null; sample: RateSample }>>({});

/** Reads every transfer again from IndexedDB, after this page or another runtime changed one. */
export async function refreshTransfers(): Promise<void> {
  transfers.value = await listTransfers();
}

/** Records how far a transfer has come, feeding the rate estimate. */
export function setLive(transferId: string, done: number, total: number | null): void {
  const previous = liveProgress.value[transferId];
  liveProgress.value = { ...liveProgress.value, [transferId]: { done, total, sample: nextSample(previous?.sample, done, Date.now()) } };
}

/** Forgets the live progress of a transfer that starts again, so its rate does not mix two attempts. */
export function clearLive(transferId: string): void {
  const { [transferId]: _stale, ...others } = liveProgress.value;
  liveProgress.value = others;
}

/** This device's token for the server; throws before the account exists. */
export function deviceToken(): string {
  const state = account.value;
  if (state.kind !== 'ready') throw new Error('this device has no account yet');
  return state.credentials.deviceToken;
}
