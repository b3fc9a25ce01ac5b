import type { VapidKeys } from './vapid-keys';

/** JWT lifetime: RFC 8292 §2 caps `exp` at 24 h ahead; half that leaves room for clock skew. */
const LIFETIME_S = 12 * 3600;
/** Renewed this long before it expires, so no push goes out with a token about to lapse. */
const RENEW_BEFORE_S = 3600;

/**
 * One signed VAPID `Authorization` per push-service origin (the JWT's `aud`), reused until near
 * expiry. Signing (ES256) is most of the cost of a push when done per message, as web-push does.
 */
export class VapidAuthCache {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    readonly keys: VapidKeys,
    private readonly now: () => number = Date.now,
  ) {}

  /** The header for a push-service origin such as `https://fcm.googleapis.com`. */
  header(audience: string): string {
    const nowS = Math.floor(this.now() / 1000);
    const cached = this.#entries.get(audience);
    if (cached && cached.expiresAt - nowS > RENEW_BEFORE_S) return cached.value;
    const expiresAt = nowS + LIFETIME_S;
    const value = this.keys.authorization(audience, expiresAt);
    this.#entries.set(audience, { value, expiresAt });
    return value;
  }
}
