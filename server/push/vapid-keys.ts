import { createECDH, createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import webpush from 'web-push';
import { ConfigError, type PushConfig } from '../config';
import { decodeBase64Url, p256PublicKey } from './p256';

/** Where generated keys live, inside DATA_DIR. */
export const VAPID_FILE = 'vapid.json';

/** First 16 hex digits of SHA-256 over the raw public key: names the key a subscription was made for. */
export function vapidKeyId(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 16);
}

/**
 * The server's VAPID identity (RFC 8292). The private key has no getter and is left out of
 * JSON and `util.inspect`, so it cannot reach a log line or an API answer by accident.
 */
export class VapidKeys {
  readonly keyId: string;
  readonly #privateKey: string;

  constructor(
    readonly publicKey: string,
    privateKey: string,
    readonly subject: string,
  ) {
    this.keyId = vapidKeyId(publicKey);
    this.#privateKey = privateKey;
  }

  /** `Authorization: vapid t=…, k=…` for one push-service origin, valid until `expiresAt` (epoch seconds). */
  authorization(audience: string, expiresAt: number): string {
    const headers = webpush.getVapidHeaders(audience, this.subject, this.publicKey, this.#privateKey, 'aes128gcm', expiresAt);
    return headers.Authorization;
  }

  toJSON() {
    return { publicKey: this.publicKey, keyId: this.keyId, subject: this.subject };
  }

  [inspect.custom]() {
    return `VapidKeys ${JSON.stringify(this.toJSON())}`;
  }
}

/** Checks a key pair: a 32-byte scalar whose public point is the 65-byte point given. Answers a reason, or null. */
export function vapidKeyProblem(publicKey: string, privateKey: string): string | null {
  const pub = decodeBase64Url(publicKey);
  if (!pub || !p256PublicKey(pub)) return 'the public key is not an uncompressed P-256 point on the curve';
  const priv = decodeBase64Url(privateKey);
  if (priv?.length !== 32) return 'the private key is not 32 bytes of base64url';
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(priv);
  } catch {
    return 'the private key is not a valid P-256 scalar';
  }
  return ecdh.getPublicKey().equals(pub) ? null : 'the private key does not belong to the public key';
}

/**
 * The VAPID keys: from VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY when set, else DATA_DIR/vapid.json,
 * created (mode 0600) on first start. Creation is exclusive, so the server and a CLI starting
 * together agree on one key. Throws ConfigError for keys that cannot be used.
 */
export function loadVapidKeys(dataDir: string, push: Pick<PushConfig, 'vapidKeys' | 'vapidSubject'>): VapidKeys {
  if (push.vapidKeys) {
    const problem = vapidKeyProblem(push.vapidKeys.publicKey, push.vapidKeys.privateKey);
    if (problem) throw new ConfigError('VAPID_PRIVATE_KEY', `${problem} (VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY)`);
    return new VapidKeys(push.vapidKeys.publicKey, push.vapidKeys.privateKey, push.vapidSubject);
  }
  const file = path.join(dataDir, VAPID_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${JSON.stringify(generateVapidKeys(), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A file copied in with looser permissions is tightened rather than refused.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  let stored: { publicKey?: unknown; privateKey?: unknown };
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('DATA_DIR', `${file} is not valid JSON (${(error as Error).message}); delete it to generate new keys`);
  }
  const problem =
    typeof stored.publicKey === 'string' && typeof stored.privateKey === 'string'
      ? vapidKeyProblem(stored.publicKey, stored.privateKey)
      : 'publicKey and privateKey are missing';
  if (problem) throw new ConfigError('DATA_DIR', `${file}: ${problem}; delete it to generate new keys`);
  return new VapidKeys(stored.publicKey as string, stored.privateKey as string, push.vapidSubject);
}

function generateVapidKeys(): { publicKey: string; privateKey: string; createdAt: string } {
  // JWK coordinates are always full length (RFC 7518 §6.2.1.2), unlike ECDH#getPrivateKey.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  return { publicKey: point.toString('base64url'), privateKey: jwk.d ?? '', createdAt: new Date().toISOString() };
}
