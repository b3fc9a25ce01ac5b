import { isIP } from 'node:net';
import type { PushSubscriptionRequest } from '../../src/shared/api';
import { decodeBase64Url, p256PublicKey } from './p256';

/**
 * Push services whose endpoints browsers hand out, matched exactly (port 443 only):
 * Chrome/Edge-on-Android (FCM), Firefox (Mozilla autopush), Safari (Apple).
 */
export const PUSH_SERVICE_HOSTS: readonly string[] = ['fcm.googleapis.com', 'updates.push.services.mozilla.com', 'web.push.apple.com'];

/** Edge on Windows (WNS) hands out `https://<one label>.notify.windows.com/w/?token=…`. */
const WNS_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.notify\.windows\.com$/;

/** Longer than any real endpoint (FCM's are ~190 characters, WNS's ~300). */
export const MAX_ENDPOINT_LENGTH = 1024;

/** A subscription that passed every check, decoded. */
export interface ValidSubscription {
  endpoint: string;
  expirationTime: number | null;
  p256dh: string;
  auth: string;
}

/** Why a subscription was refused: the field (`endpoint`, `keys.p256dh`, …) and a reason a person can act on. */
export interface SubscriptionProblem {
  field: string;
  reason: string;
}

/**
 * Why an endpoint may not be pushed to, or null. `extraHosts` are PUSH_ALLOWED_HOSTS entries
 * (`host:port`). Pure: decides from the text alone and never resolves or connects, so a refused
 * endpoint costs no outbound request (no SSRF probe of the server's network).
 */
export function endpointProblem(endpoint: string, extraHosts: readonly string[]): string | null {
  if (endpoint.length > MAX_ENDPOINT_LENGTH) return `is longer than ${MAX_ENDPOINT_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:') return `must be an https: URL, not ${url.protocol}`;
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a fragment';
  // The WHATWG parser has already turned every numeric IPv4 form (2130706433, 0x7f.1, 127.1) into
  // dotted quads and kept IPv6 in brackets, so the parsed host is what a connection would use.
  if (url.hostname.startsWith('[') || isIP(url.hostname) !== 0) return 'must name a push service by host name, not an IP address';
  const host = url.hostname;
  const port = url.port === '' ? 443 : Number(url.port);
  if (extraHosts.includes(`${host}:${port}`)) return null;
  if (port !== 443) return `must use the default https port, not ${port}`;
  if (PUSH_SERVICE_HOSTS.includes(host) || WNS_HOST.test(host)) return null;
  return `names ${host}, which is not a known push service`;
}

/** Checks a subscription as the browser serialised it; `now` (epoch ms) judges `expirationTime`. */
export function validateSubscription(
  body: PushSubscriptionRequest,
  extraHosts: readonly string[],
  now: number,
): { ok: true; subscription: ValidSubscription } | ({ ok: false } & SubscriptionProblem) {
  const refuse = (field: string, reason: string) => ({ ok: false as const, field, reason });
  const endpoint = endpointProblem(body.endpoint, extraHosts);
  if (endpoint) return refuse('endpoint', endpoint);

  // RFC 8291 §3.2: p256dh is the user agent's ECDH share, an uncompressed P-256 point.
  const p256dh = decodeBase64Url(body.keys.p256dh);
  if (!p256dh) return refuse('keys.p256dh', 'is not base64url');
  if (p256dh.length !== 65 || p256dh[0] !== 0x04)
    return refuse('keys.p256dh', `must be a 65-byte uncompressed P-256 point, got ${p256dh.length} bytes`);
  if (!p256PublicKey(p256dh)) return refuse('keys.p256dh', 'is not a point on the P-256 curve');

  // RFC 8291 §3.2: the authentication secret is 16 octets.
  const auth = decodeBase64Url(body.keys.auth);
  if (!auth) return refuse('keys.auth', 'is not base64url');
  if (auth.length !== 16) return refuse('keys.auth', `must be 16 bytes, got ${auth.length}`);

  const expirationTime = body.expirationTime ?? null;
  if (expirationTime !== null && (!Number.isSafeInteger(expirationTime) || expirationTime < 0))
    return refuse('expirationTime', 'must be a time in epoch milliseconds or null');
  if (expirationTime !== null && expirationTime <= now) return refuse('expirationTime', 'has already passed');

  return {
    ok: true,
    subscription: { endpoint: body.endpoint, expirationTime, p256dh: p256dh.toString('base64url'), auth: auth.toString('base64url') },
  };
}
