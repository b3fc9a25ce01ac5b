import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { PAIRING_CODE_ALPHABET } from '../../src/shared/api';

/** A 256-bit bearer token, base64url. */
export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Device tokens are stored only as SHA-256: they carry 256 random bits, so no slow KDF is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** `count` random Crockford base-32 characters (5 bits each: a byte's low bits are uniform). */
export function randomCode(count: number): string {
  const bytes = randomBytes(count);
  let code = '';
  for (const byte of bytes) code += PAIRING_CODE_ALPHABET[byte & 31];
  return code;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/**
 * scrypt cost: N = 2^14, r = 8 (16 MiB, tens of ms a guess), the interactive-login setting of
 * RFC 7914 §2. A pairing code's secret part has 60 bits and lives 10 minutes: a stolen database
 * cannot be searched for it in time. `maxmem` must exceed 128·N·r bytes or Node refuses.
 */
const SCRYPT = { N: 2 ** 14, r: 8, p: 1, maxmem: 32 * 1024 * 1024 } as const;

/** Salted slow hash of a pairing code's secret part: `{ salt, hash }`, both hex. */
export async function hashPairingSecret(secret: string): Promise<{ salt: string; hash: string }> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, 32, SCRYPT);
  return { salt: salt.toString('hex'), hash: hash.toString('hex') };
}

/** True when `secret` hashes to `hash` under `salt`; compared in constant time. */
export async function verifyPairingSecret(secret: string, salt: string, hash: string): Promise<boolean> {
  const expected = Buffer.from(hash, 'hex');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'hex'), expected.length, SCRYPT);
  return timingSafeEqual(actual, expected);
}
