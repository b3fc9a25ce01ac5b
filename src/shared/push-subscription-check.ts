import type { PushKeyResponse, PushSubscriptionStateResponse } from './api';

/**
 * Whether this browser's push subscription still matches what the server holds, and what to do
 * if not. Pure: the page (on every open) and the service worker (after every background sync,
 * and on `pushsubscriptionchange`) both decide with it. Chrome never fires
 * `pushsubscriptionchange` (https://crbug.com/646721), so this re-check is how a changed key, a
 * dropped subscription or a lost server record gets repaired there.
 */

/** `PushManager.permissionState({ userVisibleOnly: true })`; Safari's Notification API says `default`. */
export type PushPermission = 'granted' | 'denied' | 'prompt' | 'default';

/** This browser's subscription, as far as the decision needs it. */
export interface LocalSubscription {
  endpoint: string;
  /** base64url of `subscription.options.applicationServerKey`; null where the browser does not expose it. */
  applicationServerKey: string | null;
  expirationTime: number | null;
}

export type PushCheckDecision =
  /** Nothing to do: `state` says why. */
  | { action: 'none'; state: 'not-granted' | 'not-subscribed' | 'current' }
  /** Send this browser's subscription to the server again (it lost it, or holds another endpoint). */
  | { action: 'put'; reason: 'server-has-none' | 'endpoint-differs' | 'server-record-outdated' }
  /** Unsubscribe if subscribed, subscribe with the server's current key, then PUT. */
  | { action: 'resubscribe'; reason: 'key-changed' | 'expired' | 'browser-dropped-it' }
  /** Permission is gone, so the subscription is dead: remove the server's record. */
  | { action: 'forget'; reason: 'permission-withdrawn' };

export interface PushCheckInput {
  permission: PushPermission;
  local: LocalSubscription | null;
  server: PushSubscriptionStateResponse;
  key: PushKeyResponse;
  now: number;
}

/** Decides what keeps this device's subscription working; see PushCheckDecision. */
export function decidePushCheck({ permission, local, server, key, now }: PushCheckInput): PushCheckDecision {
  if (permission !== 'granted') {
    // Browsers drop subscriptions when notification permission is withdrawn; the server's copy now only fails.
    return server.status === 'none' ? { action: 'none', state: 'not-granted' } : { action: 'forget', reason: 'permission-withdrawn' };
  }
  if (!local) {
    // The person turned updates on (the server holds a subscription) and the browser has since
    // let it go (site data cleared, permission reset and granted again): make a new one.
    return server.status === 'none' ? { action: 'none', state: 'not-subscribed' } : { action: 'resubscribe', reason: 'browser-dropped-it' };
  }
  if (local.applicationServerKey !== null && local.applicationServerKey !== key.publicKey) {
    return { action: 'resubscribe', reason: 'key-changed' };
  }
  if (local.expirationTime !== null && local.expirationTime <= now) return { action: 'resubscribe', reason: 'expired' };
  if (server.status === 'none' || !server.subscription) return { action: 'put', reason: 'server-has-none' };
  if (server.subscription.endpoint !== local.endpoint) return { action: 'put', reason: 'endpoint-differs' };
  if (server.status === 'stale') {
    // The server recorded this endpoint under another key id. When the browser tells us which key
    // it subscribed with and that key is current, the record is only out of date.
    return local.applicationServerKey === null
      ? { action: 'resubscribe', reason: 'key-changed' }
      : { action: 'put', reason: 'server-record-outdated' };
  }
  return { action: 'none', state: 'current' };
}

/** base64url without padding (RFC 4648 §5), as Web Push keys are written. */
export function toBase64Url(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += alphabet[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** Decodes base64url (padding tolerated); throws on any other character. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(clean) || clean.length % 4 === 1) throw new Error('not base64url');
  const out = new Uint8Array(Math.floor((clean.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of clean) {
    const code = char.charCodeAt(0);
    const digit = char === '-' ? 62 : char === '_' ? 63 : code >= 97 ? code - 71 : code >= 65 ? code - 65 : code + 4;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
