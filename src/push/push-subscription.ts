import { signal } from '@preact/signals';
import { account, describe } from '../account/account';
import { api } from '../api/api';
import type { PushSubscriptionStateResponse } from '../shared/api';
import { exclusive as withLock } from '../shared/exclusive';
import { ApiRequestError } from '../shared/http-client';
import { LOCKS } from '../shared/names';
import {
  type BrowserPushManager,
  checkPushSubscription,
  PushSetupError,
  subscribeAndSave,
  unsubscribeAndForget,
} from '../shared/push-subscription-flow';

/** What the Settings card shows about push updates on this browser. */
export type PushUiState =
  | { kind: 'checking' }
  /** No service worker, PushManager or Notification here (Firefox private windows, iOS Safari outside the home screen). */
  | { kind: 'unsupported' }
  | { kind: 'no-account' }
  | { kind: 'off' }
  | { kind: 'denied' }
  | { kind: 'busy'; step: 'asking' | 'subscribing' | 'stopping' }
  | { kind: 'on' }
  /** The browser could not register with its push service (offline, or the service is blocked). */
  | { kind: 'unreachable'; detail: string }
  /** The server's key changed and renewing the subscription failed. */
  | { kind: 'stale'; detail: string }
  /** `offer`: the button that makes sense next (after a failed stop, updates are still on). */
  | { kind: 'error'; detail: string; offer: 'on' | 'off' };

export const pushState = signal<PushUiState>({ kind: 'checking' });

function pushManager(): Promise<BrowserPushManager> | null {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return null;
  return navigator.serviceWorker.ready.then((registration) => registration.pushManager);
}

function token(): string | null {
  const state = account.value;
  return state.kind === 'ready' ? state.credentials.deviceToken : null;
}

function fromServer(state: PushSubscriptionStateResponse): PushUiState {
  if (state.status === 'current') return { kind: 'on' };
  return { kind: 'off' };
}

/** The state after `error`; `doing` names what failed, for errors without a state of their own. */
function failure(error: unknown, doing: 'check' | 'turn-on'): PushUiState {
  if (error instanceof PushSetupError) {
    if (error.code === 'permission-denied') return { kind: 'denied' };
    // On a re-check, subscribing again is what failed: the key changed or the subscription was lost.
    if (doing === 'check') return { kind: 'stale', detail: error.message };
    if (error.code === 'push-service-unreachable') return { kind: 'unreachable', detail: error.message };
  }
  const what = doing === 'check' ? 'Could not check updates with the server' : 'Could not turn updates on';
  return { kind: 'error', detail: `${what}: ${describe(error)}`, offer: 'on' };
}

/** Runs `work` under the lock the service worker takes for the same job. */
async function exclusive<T>(work: () => Promise<T>): Promise<T> {
  return withLock(LOCKS.pushSubscription, {}, work);
}

/**
 * On every open: compares this browser's subscription with the server's and repairs it
 * (Chrome never fires `pushsubscriptionchange`). Asks for nothing; without permission it only
 * reports. Offline, it says nothing new and tries again on the next open.
 */
export async function recheckPushSubscription(): Promise<void> {
  const manager = pushManager();
  if (!manager) {
    pushState.value = { kind: 'unsupported' };
    return;
  }
  const deviceToken = token();
  if (!deviceToken) {
    pushState.value = { kind: 'no-account' };
    return;
  }
  try {
    const result = await exclusive(async () => checkPushSubscription({ pushManager: await manager, call: api, token: deviceToken }));
    const permission = Notification.permission;
    pushState.value = permission === 'denied' ? { kind: 'denied' } : fromServer(result.state);
  } catch (error) {
    if (Notification.permission === 'denied') pushState.value = { kind: 'denied' };
    else if (error instanceof ApiRequestError || error instanceof PushSetupError) pushState.value = failure(error, 'check');
    else pushState.value = await localOnly(await manager); // offline: say what this browser knows
  }
}

/** The state from this browser alone, when the server cannot be asked. */
async function localOnly(manager: BrowserPushManager): Promise<PushUiState> {
  const subscription = await manager.getSubscription().catch(() => null);
  return subscription ? { kind: 'on' } : { kind: 'off' };
}

/** The button: asks for notification permission (a user gesture), subscribes, and tells the server. */
export async function turnOnPush(): Promise<void> {
  const manager = pushManager();
  const deviceToken = token();
  if (!manager || !deviceToken) return;
  pushState.value = { kind: 'busy', step: 'asking' };
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    pushState.value = permission === 'denied' ? { kind: 'denied' } : { kind: 'off' };
    return;
  }
  pushState.value = { kind: 'busy', step: 'subscribing' };
  try {
    const state = await exclusive(async () => subscribeAndSave({ pushManager: await manager, call: api, token: deviceToken }));
    pushState.value = fromServer(state);
  } catch (error) {
    pushState.value = failure(error, 'turn-on');
  }
}

/** The stop button: the server forgets this browser, then the browser unsubscribes. */
export async function turnOffPush(): Promise<void> {
  const manager = pushManager();
  const deviceToken = token();
  if (!manager || !deviceToken) return;
  pushState.value = { kind: 'busy', step: 'stopping' };
  try {
    await exclusive(async () => unsubscribeAndForget({ pushManager: await manager, call: api, token: deviceToken }));
    pushState.value = { kind: 'off' };
  } catch (error) {
    // The server still pushes, so the browser keeps its subscription (see unsubscribeAndForget).
    pushState.value = { kind: 'error', detail: `Updates are still on: could not reach the server (${describe(error)})`, offer: 'off' };
  }
}
