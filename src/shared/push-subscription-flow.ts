import type { PushSubscriptionRequest, PushSubscriptionStateResponse } from './api';
import { type ApiCaller, ApiRequestError } from './http-client';
import {
  decidePushCheck,
  fromBase64Url,
  type LocalSubscription,
  type PushCheckDecision,
  type PushPermission,
  toBase64Url,
} from './push-subscription-check';

/**
 * Subscribing, unsubscribing and the re-check, over an injected PushManager and API call so the
 * page and the service worker run the same code (each passes its own `registration.pushManager`).
 */

/** The Web Lock that keeps the page and the service worker from changing the subscription at once. */

/** How long `pushManager.subscribe` may take: without internet it never settles (browser-testing.md). */
export const SUBSCRIBE_TIMEOUT_MS = 20_000;

/** The slice of `PushSubscription` used here. */
export interface BrowserPushSubscription {
  readonly endpoint: string;
  readonly expirationTime: number | null;
  readonly options?: { readonly applicationServerKey: ArrayBuffer | null };
  toJSON(): { endpoint?: string; expirationTime?: number | null; keys?: Record<string, string> };
  unsubscribe(): Promise<boolean>;
}

/** The slice of `PushManager` used here. */
export interface BrowserPushManager {
  getSubscription(): Promise<BrowserPushSubscription | null>;
  subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array<ArrayBuffer> }): Promise<BrowserPushSubscription>;
  permissionState(options: { userVisibleOnly: boolean }): Promise<PushPermission>;
}

export interface PushSubscriptionDeps {
  pushManager: BrowserPushManager;
  /** The JSON API (page: `api`; service worker: `apiCaller` over its `fetch`). */
  call: ApiCaller;
  /** This device's token. */
  token: string;
  subscribeTimeoutMs?: number;
  now?: () => number;
}

export type PushSetupErrorCode =
  /** Notification permission is denied. */
  | 'permission-denied'
  /** `subscribe` timed out or the browser could not register with its push service. */
  | 'push-service-unreachable'
  /** `subscribe` failed for another reason. */
  | 'subscribe-failed';

/** Subscribing failed in the browser; `code` says how, `message` says it in words. */
export class PushSetupError extends Error {
  constructor(
    readonly code: PushSetupErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PushSetupError';
  }
}

/** Fetches the server's key, subscribes with it (with a timeout) and stores the subscription on the server. */
export async function subscribeAndSave(deps: PushSubscriptionDeps): Promise<PushSubscriptionStateResponse> {
  for (let attempt = 0; ; attempt++) {
    const key = await deps.call('pushKey');
    const subscription = await subscribeBrowser(deps, fromBase64Url(key.publicKey));
    try {
      return await saveSubscription(deps, subscription, key.keyId);
    } catch (error) {
      // The key changed between the GET and the PUT (a server restart with new keys): once more with the new one.
      if (attempt > 0 || !(error instanceof ApiRequestError) || error.code !== 'VAPID_KEY_CHANGED') throw error;
      await subscription.unsubscribe().catch(() => false);
    }
  }
}

/** PUTs a subscription with the key id it was made with. */
export function saveSubscription(
  deps: PushSubscriptionDeps,
  subscription: BrowserPushSubscription,
  keyId: string,
): Promise<PushSubscriptionStateResponse> {
  const json = subscription.toJSON();
  const body: PushSubscriptionRequest = {
    endpoint: json.endpoint ?? subscription.endpoint,
    expirationTime: json.expirationTime ?? null,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
    keyId,
  };
  return deps.call('putPushSubscription', { body, token: deps.token });
}

/**
 * Stops pushes: the server forgets the subscription first, then the browser drops it. In that
 * order, because a browser without a subscription while the server still holds one reads as
 * "the browser lost it" to the re-check, which would subscribe again.
 */
export async function unsubscribeAndForget(deps: PushSubscriptionDeps): Promise<void> {
  await deps.call('deletePushSubscription', { token: deps.token });
  const local = await deps.pushManager.getSubscription();
  await local?.unsubscribe();
}

/** What a re-check found and left behind. */
export interface PushCheckResult {
  decision: PushCheckDecision;
  /** The server's view afterwards. */
  state: PushSubscriptionStateResponse;
}

/** Compares this browser's subscription with the server's record and repairs whatever differs. */
export async function checkPushSubscription(deps: PushSubscriptionDeps): Promise<PushCheckResult> {
  const [permission, local, server, key] = await Promise.all([
    deps.pushManager.permissionState({ userVisibleOnly: true }),
    deps.pushManager.getSubscription(),
    deps.call('getPushSubscription', { token: deps.token }),
    deps.call('pushKey'),
  ]);
  const decision = decidePushCheck({ permission, local: local && describeLocal(local), server, key, now: (deps.now ?? Date.now)() });
  switch (decision.action) {
    case 'none':
      return { decision, state: server };
    case 'put':
      if (!local) throw new Error('unreachable: put without a local subscription');
      return { decision, state: await saveSubscription(deps, local, key.keyId) };
    case 'resubscribe':
      await local?.unsubscribe().catch(() => false); // already gone or broken: subscribing again replaces it
      return { decision, state: await subscribeAndSave(deps) };
    case 'forget':
      await deps.call('deletePushSubscription', { token: deps.token });
      return { decision, state: { status: 'none', keyId: key.keyId, subscription: null } };
  }
}

/** The decision's view of a browser subscription. */
export function describeLocal(subscription: BrowserPushSubscription): LocalSubscription {
  const key = subscription.options?.applicationServerKey;
  return {
    endpoint: subscription.endpoint,
    applicationServerKey: key ? toBase64Url(new Uint8Array(key)) : null,
    expirationTime: subscription.expirationTime ?? null,
  };
}

/** `pushManager.subscribe` with `userVisibleOnly` and a timeout; failures as PushSetupError. */
export async function subscribeBrowser(
  deps: Pick<PushSubscriptionDeps, 'pushManager' | 'subscribeTimeoutMs'>,
  applicationServerKey: Uint8Array<ArrayBuffer>,
): Promise<BrowserPushSubscription> {
  const ms = deps.subscribeTimeoutMs ?? SUBSCRIBE_TIMEOUT_MS;
  let stopTimer = () => {};
  const expired = new Promise<never>((_, reject) => {
    const timer = setTimeout(
      () => reject(new PushSetupError('push-service-unreachable', `no answer after ${Math.round(ms / 1000)} s; are you offline?`)),
      ms,
    );
    stopTimer = () => clearTimeout(timer);
  });
  try {
    return await Promise.race([deps.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey }), expired]);
  } catch (error) {
    throw asSetupError(error);
  } finally {
    stopTimer();
  }
}

/** Names what `subscribe` rejected with (https://w3c.github.io/push-api/#subscribe-method). */
function asSetupError(error: unknown): PushSetupError {
  if (error instanceof PushSetupError) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'NotAllowedError') return new PushSetupError('permission-denied', message, { cause: error });
  // Chrome: "AbortError: Registration failed - push service not available" (or "… push service error").
  if (name === 'AbortError' || name === 'NetworkError') return new PushSetupError('push-service-unreachable', message, { cause: error });
  return new PushSetupError('subscribe-failed', message, { cause: error });
}
