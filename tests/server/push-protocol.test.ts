import { createECDH, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { ConfigError, loadConfig } from '../../server/config';
import { endpointProblem, validateSubscription } from '../../server/push/subscription-validation';
import { loadVapidKeys, VAPID_FILE, vapidKeyId } from '../../server/push/vapid-keys';
import { pushVerdict, retryAfterMs } from '../../server/push/verdict';
import { decryptPushBody, verifyVapid } from '../helpers/push-service';

// RFC 8291 Appendix A: the user agent's keys and the message the application server sent.
const RFC8291 = {
  plaintext: 'When I grow up, I want to be a watermelon',
  uaPrivate: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
  uaPublic: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  auth: 'BTBZMqHH6r4Tts7J_aSIgg',
  body: 'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};

// RFC 8292 §2.4: a token for https://push.example.net, valid until 1453523768.
const RFC8292 = {
  header:
    'vapid t=eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3B1c2guZXhhbXBsZS5uZXQiLCJleHAiOjE0NTM1MjM3NjgsInN1YiI6Im1haWx0bzpwdXNoQGV4YW1wbGUuY29tIn0.i3CYb7t4xfxCDquptFOepC9GAu_HLGkMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA, k=BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs',
  exp: 1453523768,
};

function rfcUserAgent() {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(RFC8291.uaPrivate, 'base64url'));
  return ecdh;
}

describe('the local push service (checked against the RFCs before it checks the server)', () => {
  it('decrypts the RFC 8291 Appendix A message', () => {
    const ecdh = rfcUserAgent();
    expect(ecdh.getPublicKey().toString('base64url')).toBe(RFC8291.uaPublic);
    const plain = decryptPushBody(Buffer.from(RFC8291.body, 'base64url'), ecdh, Buffer.from(RFC8291.auth, 'base64url'));
    expect(plain.toString()).toBe(RFC8291.plaintext);
  });

  it('refuses a tampered body, a wrong auth secret and a truncated header', () => {
    const ecdh = rfcUserAgent();
    const auth = Buffer.from(RFC8291.auth, 'base64url');
    const body = Buffer.from(RFC8291.body, 'base64url');
    const tampered = Buffer.from(body);
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] ?? 0) ^ 1;
    expect(() => decryptPushBody(tampered, ecdh, auth)).toThrow();
    expect(() => decryptPushBody(body, ecdh, randomBytes(16))).toThrow();
    expect(() => decryptPushBody(body.subarray(0, 20), ecdh, auth)).toThrow(/header/);
  });

  it('verifies the RFC 8292 §2.4 token, and refuses it once expired, for another audience or re-keyed', () => {
    const before = (RFC8292.exp - 60) * 1000;
    expect(verifyVapid(RFC8292.header, 'https://push.example.net', before)).toMatchObject({
      aud: 'https://push.example.net',
      sub: 'mailto:push@example.com',
    });
    expect(() => verifyVapid(RFC8292.header, 'https://push.example.net', (RFC8292.exp + 1) * 1000)).toThrow(/expired/);
    expect(() => verifyVapid(RFC8292.header, 'https://push.example.net', (RFC8292.exp - 25 * 3600) * 1000)).toThrow(/24 hours/);
    expect(() => verifyVapid(RFC8292.header, 'https://other.example', before)).toThrow(/aud/);
    const otherKey = createECDH('prime256v1');
    otherKey.generateKeys();
    const rekeyed = RFC8292.header.replace(/k=.*$/, `k=${otherKey.getPublicKey().toString('base64url')}`);
    expect(() => verifyVapid(rekeyed, 'https://push.example.net', before)).toThrow(/signature/);
  });

  it('decrypts what web-push encrypts (the sender and the service agree)', () => {
    const ua = createECDH('prime256v1');
    ua.generateKeys();
    const auth = randomBytes(16);
    const details = webpush.generateRequestDetails(
      {
        endpoint: 'https://fcm.googleapis.com/fcm/send/x',
        keys: { p256dh: ua.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      },
      '{"type":"refresh","id":"1"}',
      { contentEncoding: 'aes128gcm' },
    );
    expect(decryptPushBody(details.body, ua, auth).toString()).toBe('{"type":"refresh","id":"1"}');
  });
});

const P256DH = (() => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return ecdh.getPublicKey().toString('base64url');
})();
const AUTH = randomBytes(16).toString('base64url');
const EXTRA = ['localhost:9443', 'push.test.example:443'];

describe('endpointProblem', () => {
  it.each([
    ['https://fcm.googleapis.com/fcm/send/abc:APA91b', null],
    ['https://fcm.googleapis.com/wp/abc', null],
    ['https://updates.push.services.mozilla.com/wpush/v2/gAAAAA', null],
    ['https://web.push.apple.com/QGuQyavXutnMH', null],
    ['https://wns2-by3p.notify.windows.com/w/?token=BQYAAAD', null],
    ['https://FCM.googleapis.com:443/fcm/send/abc', null],
    ['https://localhost:9443/push/1', null],
    ['https://push.test.example/push/1', null],
  ])('accepts %s', (endpoint, expected) => {
    expect(endpointProblem(endpoint, EXTRA)).toBe(expected);
  });

  it.each([
    ['http://fcm.googleapis.com/fcm/send/abc', /https:/],
    ['not a url', /absolute URL/],
    ['https://169.254.169.254/latest/meta-data', /IP address/],
    ['https://127.0.0.1:9443/push/1', /IP address/],
    ['https://2130706433/push', /IP address/],
    ['https://0x7f.1/push', /IP address/],
    ['https://[::1]/push', /IP address/],
    ['https://[::ffff:169.254.169.254]/push', /IP address/],
    ['https://fcm.googleapis.com:8443/fcm/send/abc', /port/],
    ['https://localhost:9444/push/1', /port/],
    ['https://localhost/push/1', /not a known push service/],
    ['https://fcm.googleapis.com.evil.test/fcm/send/abc', /not a known push service/],
    ['https://evilfcm.googleapis.com/fcm/send/abc', /not a known push service/],
    ['https://googleapis.com/fcm/send/abc', /not a known push service/],
    ['https://fcm.googleapis.com./fcm/send/abc', /not a known push service/],
    ['https://notify.windows.com/w/', /not a known push service/],
    ['https://a.b.notify.windows.com/w/', /not a known push service/],
    ['https://evil.test/notify.windows.com', /not a known push service/],
    ['https://user:pass@fcm.googleapis.com/fcm/send/abc', /user name or password/],
    ['https://user@fcm.googleapis.com/fcm/send/abc', /user name or password/],
    ['https://fcm.googleapis.com@evil.test/fcm/send/abc', /user name or password/],
    ['https://fcm.googleapis.com/fcm/send/abc#x', /fragment/],
    [`https://fcm.googleapis.com/fcm/send/${'a'.repeat(1024)}`, /longer than 1024/],
  ])('refuses %s', (endpoint, reason) => {
    expect(endpointProblem(endpoint, EXTRA)).toMatch(reason);
  });
});

describe('validateSubscription', () => {
  const good = { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', expirationTime: null, keys: { p256dh: P256DH, auth: AUTH } };
  const offCurve = (() => {
    const point = Buffer.from(P256DH, 'base64url');
    point[64] = (point[64] ?? 0) ^ 1;
    return point.toString('base64url');
  })();

  it('accepts a browser subscription and normalises its keys', () => {
    expect(validateSubscription(good, [], Date.now())).toEqual({
      ok: true,
      subscription: { endpoint: good.endpoint, expirationTime: null, p256dh: P256DH, auth: AUTH },
    });
  });

  it.each([
    ['keys.p256dh', { p256dh: 'not base64!' }, /base64url/],
    ['keys.p256dh', { p256dh: randomBytes(33).toString('base64url') }, /65-byte/],
    ['keys.p256dh', { p256dh: Buffer.concat([Buffer.from([2]), randomBytes(64)]).toString('base64url') }, /uncompressed/],
    ['keys.p256dh', { p256dh: offCurve }, /curve/],
    ['keys.p256dh', { p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]).toString('base64url') }, /curve/],
    ['keys.auth', { auth: randomBytes(12).toString('base64url') }, /16 bytes/],
    ['keys.auth', { auth: randomBytes(32).toString('base64url') }, /16 bytes/],
    ['keys.auth', { auth: 'a+b/' }, /base64url/],
  ])('refuses %s %o', (field, keys, reason) => {
    const result = validateSubscription({ ...good, keys: { ...good.keys, ...keys } }, [], Date.now());
    expect(result).toMatchObject({ ok: false, field });
    expect(result.ok === false && result.reason).toMatch(reason);
  });

  it('refuses an expiration time already passed', () => {
    expect(validateSubscription({ ...good, expirationTime: Date.now() - 1 }, [], Date.now())).toMatchObject({
      ok: false,
      field: 'expirationTime',
    });
  });
});

describe('pushVerdict', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [201, undefined, { kind: 'sent' }],
    [202, undefined, { kind: 'sent' }],
    [404, undefined, { kind: 'gone' }],
    [410, undefined, { kind: 'gone' }],
    [401, undefined, { kind: 'unauthorized' }],
    [403, undefined, { kind: 'unauthorized' }],
    [413, undefined, { kind: 'too-large' }],
    [429, '7', { kind: 'retry', afterMs: 7000 }],
    [503, 'Thu, 01 Jan 2026 00:00:30 GMT', { kind: 'retry', afterMs: 30_000 }],
    [429, undefined, { kind: 'retry', afterMs: null }],
    [500, undefined, { kind: 'retry', afterMs: null }],
    [502, '5', { kind: 'retry', afterMs: null }],
    [400, undefined, { kind: 'refused' }],
    [301, undefined, { kind: 'refused' }],
  ] as const)('%i (Retry-After %s) → %o', (status, retryAfter, verdict) => {
    expect(pushVerdict(status, retryAfter, now)).toEqual(verdict);
  });

  it('reads Retry-After defensively', () => {
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('999999', now)).toBe(3600_000);
  });
});

describe('VAPID keys', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-vapid-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are generated once into DATA_DIR/vapid.json with mode 0600 and kept across starts', () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: dir });
    const first = loadVapidKeys(dir, config.push);
    const second = loadVapidKeys(dir, config.push);
    expect(second.publicKey).toBe(first.publicKey);
    expect(first.keyId).toBe(vapidKeyId(first.publicKey));
    expect(first.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65);
    expect(fs.statSync(path.join(dir, VAPID_FILE)).mode & 0o777).toBe(0o600);
  });

  it('never show the private key in JSON or inspection', () => {
    const dir = tempDir();
    const keys = loadVapidKeys(dir, loadConfig({ DATA_DIR: dir }).push);
    const { privateKey } = JSON.parse(fs.readFileSync(path.join(dir, VAPID_FILE), 'utf8')) as { privateKey: string };
    expect(JSON.stringify({ keys })).not.toContain(privateKey);
    expect(inspect(keys, { showHidden: true, depth: 5 })).not.toContain(privateKey);
    expect(JSON.stringify(keys)).toContain(keys.publicKey);
  });

  it('come from the environment when set, and are checked', () => {
    const generated = webpush.generateVAPIDKeys();
    const dir = tempDir();
    const env = {
      DATA_DIR: dir,
      VAPID_PUBLIC_KEY: generated.publicKey,
      VAPID_PRIVATE_KEY: generated.privateKey,
      VAPID_SUBJECT: 'https://steady.example/contact',
    };
    const keys = loadVapidKeys(dir, loadConfig(env).push);
    expect(keys.publicKey).toBe(generated.publicKey);
    expect(keys.subject).toBe('https://steady.example/contact');
    expect(fs.existsSync(path.join(dir, VAPID_FILE))).toBe(false);

    const other = webpush.generateVAPIDKeys();
    expect(() => loadVapidKeys(dir, loadConfig({ ...env, VAPID_PRIVATE_KEY: other.privateKey }).push)).toThrow(/does not belong/);
    const offCurve = Buffer.from(generated.publicKey, 'base64url');
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    expect(() => loadVapidKeys(dir, loadConfig({ ...env, VAPID_PUBLIC_KEY: offCurve.toString('base64url') }).push)).toThrow(ConfigError);
  });

  it.each([
    [{ VAPID_PUBLIC_KEY: webpush.generateVAPIDKeys().publicKey }, 'VAPID_PRIVATE_KEY'],
    [{ VAPID_PUBLIC_KEY: 'short', VAPID_PRIVATE_KEY: webpush.generateVAPIDKeys().privateKey }, 'VAPID_PUBLIC_KEY'],
    [{ VAPID_SUBJECT: 'ops@steady.example' }, 'VAPID_SUBJECT'],
    [{ VAPID_SUBJECT: 'http://steady.example' }, 'VAPID_SUBJECT'],
    [{ VAPID_SUBJECT: 'mailto:ops@localhost' }, 'VAPID_SUBJECT'],
    [{ PUSH_ALLOWED_HOSTS: '127.0.0.1:9443' }, 'PUSH_ALLOWED_HOSTS'],
    [{ PUSH_ALLOWED_HOSTS: 'https://push.example' }, 'PUSH_ALLOWED_HOSTS'],
    [{ PUSH_ALLOWED_HOSTS: 'push.example:99999' }, 'PUSH_ALLOWED_HOSTS'],
    [{ STALE_SYNC_HOURS: '0' }, 'STALE_SYNC_HOURS'],
  ])('config refuses %o', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(expect.objectContaining({ variable }));
  });

  it('config reads push settings with documented defaults', () => {
    expect(loadConfig({}).push).toMatchObject({
      allowedHosts: [],
      vapidKeys: null,
      vapidSubject: 'mailto:ops@steady.invalid',
      staleSyncHours: 20,
      debounceMs: 30_000,
      timeoutMs: 10_000,
    });
    expect(loadConfig({ PUSH_ALLOWED_HOSTS: ' Localhost:9443, push.example ' }).push.allowedHosts).toEqual([
      'localhost:9443',
      'push.example:443',
    ]);
  });
});
