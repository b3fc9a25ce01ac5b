import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * A P-256 public key from its 65-byte uncompressed form (SEC 1 §2.3.3: 0x04 ‖ X ‖ Y), or null
 * when the bytes are not a point on the curve. The JWK import makes OpenSSL check the point.
 */
export function p256PublicKey(point: Uint8Array): KeyObject | null {
  if (point.length !== 65 || point[0] !== 0x04) return null;
  const bytes = Buffer.from(point);
  try {
    return createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: bytes.subarray(1, 33).toString('base64url'), y: bytes.subarray(33).toString('base64url') },
      format: 'jwk',
    });
  } catch {
    // ERR_CRYPTO_INVALID_JWK: the coordinates are not a point on P-256.
    return null;
  }
}

/** Strict base64url (RFC 4648 §5; trailing `=` padding tolerated): null for any other character or stray bits. */
export function decodeBase64Url(text: string): Buffer | null {
  const unpadded = text.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(unpadded) || unpadded.length % 4 === 1) return null;
  const bytes = Buffer.from(unpadded, 'base64url');
  // Non-canonical trailing bits would decode too: insist on a round trip.
  return bytes.toString('base64url') === unpadded ? bytes : null;
}
