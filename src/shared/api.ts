/**
 * The HTTP API between the app (page and service worker) and the server, defined once.
 * Every request and response body that crosses the network is typed here.
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
  /** Human-typeable code another device uses to join this account. */
  syncCode: string;
}

/** `POST /api/devices` → 201. Joins an existing account with its sync code. */
export interface JoinAccountRequest {
  syncCode: string;
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

/** Sync codes: 12 Crockford base-32 characters (60 bits), shown in groups of four. */
export const SYNC_CODE_PATTERN = '^[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}$';

/** Normalises what a person typed (case, spaces, look-alike letters) to the canonical code. */
export function normaliseSyncCode(input: string): string {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return compact.length === 12 ? `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}` : compact;
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
