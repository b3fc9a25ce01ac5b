/**
 * The HTTP API between the app (page and service worker) and the server, defined once.
 * Every request and response body that crosses the network is typed here; which route carries
 * which, and its path and schema, is in ./routes.ts.
 */

/** `POST /api/accounts` → 201. Creates an account and its first device. */
export interface CreateAccountRequest {
  /** A label for the first device, e.g. "Pixel 8". */
  name?: string;
}
export interface CreateAccountResponse {
  accountId: string;
  deviceId: string;
  /** 256-bit bearer secret; the server keeps only its hash. */
  deviceToken: string;
}

/**
 * `POST /api/pairing-codes` → 201 (authenticated). A one-time code another device joins this
 * account with; it works once and until `expiresAt`. 409 `QUOTA_DEVICES` when the account
 * already has its maximum of devices, 409 `QUOTA_PAIRING_CODES` when too many codes are waiting.
 */
export interface CreatePairingCodeResponse {
  /** `XXXX-XXXX-XXXX-XXXX`: shown once, never stored by the server. */
  code: string;
  expiresAt: string;
  /** The same deadline, counted from the answer: a countdown that a wrong device clock cannot skew. */
  expiresInSeconds: number;
}

/**
 * `POST /api/devices` → 201. Joins the account of a pairing code, which is used up. 404
 * `UNKNOWN_PAIRING_CODE`, 410 `PAIRING_CODE_USED` / `PAIRING_CODE_EXPIRED`, 409 `QUOTA_DEVICES`.
 */
export interface JoinAccountRequest {
  pairingCode: string;
  name: string;
}
export interface JoinAccountResponse {
  accountId: string;
  deviceId: string;
  deviceToken: string;
}

/** One device of the account, as `GET /api/devices` lists it. */
export interface DeviceInfo {
  id: string;
  name: string;
  createdAt: string;
  lastSeenAt: string | null;
  /** True for the device whose token made the request. */
  current: boolean;
}
export interface ListDevicesResponse {
  devices: DeviceInfo[];
}

/** `GET /api/health`: 200 `ok`, or 503 `unavailable` when the database does not answer (why is only logged). */
export interface HealthResponse {
  status: 'ok' | 'unavailable';
}

/** Every 4xx/5xx answer has this shape. */
export interface ApiErrorBody {
  statusCode: number;
  /** Machine-readable, e.g. `FST_ERR_CTP_INVALID_MEDIA_TYPE`, `UNAUTHORIZED`, `VALIDATION`. */
  code: string;
  error: string;
  /** Human-readable; names the offending field where there is one. */
  message: string;
}

/** Crockford base-32: no I, L, O or U, so what is read out loud is typed back right. */
export const PAIRING_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Pairing codes: 16 Crockford base-32 characters in groups of four. The first group is a
 * non-secret lookup id (the server finds the code's row by it); the other twelve are the
 * 60-bit secret, stored only as a salted scrypt hash.
 */
export const PAIRING_CODE_PATTERN = '^[0-9A-HJKMNP-TV-Z]{4}(-?[0-9A-HJKMNP-TV-Z]{4}){3}$';

/** Normalises what a person typed (case, spaces, look-alike letters) to the canonical code. */
export function normalisePairingCode(input: string): string {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return compact.length === 16 ? (compact.match(/.{4}/g) ?? []).join('-') : compact;
}

/** The app's address that opens Settings with the join form filled in (what the QR code encodes). */
export function pairingUrl(origin: string, code: string): string {
  return `${origin}/settings#pair=${code}`;
}

/** The code in a pairing URL's fragment, or null. */
export function pairingCodeFromHash(hash: string): string | null {
  const match = /^#pair=([0-9A-Za-z-]{16,19})$/.exec(hash);
  return match?.[1] ?? null;
}

/** `GET /api/push/key`: the VAPID public key to subscribe with (`applicationServerKey`). */
export interface PushKeyResponse {
  /** base64url of the 65-byte P-256 point. */
  publicKey: string;
  /** Changes when the key does; a subscription made under another key id must be renewed. */
  keyId: string;
}

/** `PUT /api/push/subscription` body: what `PushSubscription.toJSON()` gives, plus optionally the key id subscribed with. */
export interface PushSubscriptionRequest {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
  /** The `keyId` of `GET /api/push/key` the device subscribed with; a mismatch is a 409. */
  keyId?: string;
}

/**
 * `GET`/`PUT /api/push/subscription` (PUT: 201 when new, 200 when replaced). `stale`: the
 * subscription was made for another VAPID key or has expired; subscribe again and PUT it.
 */
export interface PushSubscriptionStateResponse {
  status: 'none' | 'current' | 'stale';
  /** The server's current VAPID key id. */
  keyId: string;
  subscription: { endpoint: string; expirationTime: number | null; keyId: string; updatedAt: string } | null;
}
