import { createHash, randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A 256-bit bearer token, base64url. */
export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

/** 12 Crockford base-32 characters (60 bits) in groups of four: easy to read out and type. */
export function newSyncCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (let i = 0; i < 12; i++) {
    code += CROCKFORD[(bytes[i] ?? 0) & 31];
    if (i === 3 || i === 7) code += '-';
  }
  return code;
}

/** Secrets are stored only as SHA-256: they are random and long, so no slow KDF is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
