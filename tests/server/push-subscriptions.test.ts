import { createECDH, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import type { ApiErrorBody, PushKeyResponse, PushSubscriptionStateResponse } from '../../src/shared/api';
import { LocalPushService } from '../helpers/push-service';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount } from '../helpers/sync-client';

let pushService: LocalPushService;
let server: TestServer;

beforeAll(async () => {
  pushService = await LocalPushService.start();
  server = await startTestServer({ env: { PUSH_ALLOWED_HOSTS: pushService.host, PUSH_EXTRA_CA_FILE: pushService.caFile } });
});
afterAll(async () => {
  await server?.dispose();
  await pushService?.close();
});

async function api(method: string, url: string, token?: string, body?: unknown) {
  const response = await fetch(`${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const key = async (base = server.url) => (await api('GET', `${base}/api/push/key`)).body as PushKeyResponse;

describe('GET /api/push/key', () => {
  it('answers the public key and its id without a token, and never the private key', async () => {
    const answer = await api('GET', `${server.url}/api/push/key`);
    expect(answer.status).toBe(200);
    const stored = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'vapid.json'), 'utf8')) as {
      publicKey: string;
      privateKey: string;
    };
    expect(answer.body).toEqual({ publicKey: stored.publicKey, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(JSON.stringify(answer.body)).not.toContain(stored.privateKey);
    expect(fs.statSync(path.join(server.dataDir, 'vapid.json')).mode & 0o777).toBe(0o600);
  });
});

describe('/api/push/subscription', () => {
  it('needs a device token', async () => {
    expect((await api('GET', `${server.url}/api/push/subscription`)).status).toBe(401);
    expect((await api('PUT', `${server.url}/api/push/subscription`, undefined, {})).status).toBe(401);
    expect((await api('DELETE', `${server.url}/api/push/subscription`)).status).toBe(401);
  });

  it('stores one subscription per device: PUT creates (201), PUT replaces (200), GET reads, DELETE removes (204)', async () => {
    const device = await createAccount(server.url);
    const { publicKey, keyId } = await key();
    const url = `${server.url}/api/push/subscription`;
    expect((await api('GET', url, device.deviceToken)).body).toEqual({ status: 'none', keyId, subscription: null });

    const first = pushService.subscribe(publicKey);
    const created = await api('PUT', url, device.deviceToken, { ...first.json, keyId });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'current',
      keyId,
      subscription: { endpoint: first.endpoint, keyId, expirationTime: null },
    });

    const second = pushService.subscribe(publicKey);
    const replaced = await api('PUT', url, device.deviceToken, second.json);
    expect(replaced.status).toBe(200);
    const state = (await api('GET', url, device.deviceToken)).body as PushSubscriptionStateResponse;
    expect(state).toMatchObject({ status: 'current', subscription: { endpoint: second.endpoint } });

    expect((await api('DELETE', url, device.deviceToken)).status).toBe(204);
    expect((await api('GET', url, device.deviceToken)).body).toMatchObject({ status: 'none', subscription: null });
  });

  it('refuses a subscription made for another key id with 409', async () => {
    const device = await createAccount(server.url);
    const { publicKey } = await key();
    const answer = await api('PUT', `${server.url}/api/push/subscription`, device.deviceToken, {
      ...pushService.subscribe(publicKey).json,
      keyId: '0000000000000000',
    });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'VAPID_KEY_CHANGED' });
  });
});

describe('subscription validation', () => {
  const ua = createECDH('prime256v1');
  ua.generateKeys();
  const p256dh = ua.getPublicKey().toString('base64url');
  const auth = randomBytes(16).toString('base64url');
  const offCurve = Buffer.from(p256dh, 'base64url');
  offCurve[64] = (offCurve[64] ?? 0) ^ 1;
  const port = () => new URL(pushService.origin).port;

  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ['http:', () => ({ endpoint: `http://${pushService.host}/push/1` }), 'endpoint', /https:/],
    ['an IPv4 literal (the push service itself)', () => ({ endpoint: `https://127.0.0.1:${port()}/push/1` }), 'endpoint', /IP address/],
    ['the cloud metadata address', () => ({ endpoint: 'https://169.254.169.254/latest/meta-data/' }), 'endpoint', /IP address/],
    ['IPv6 loopback', () => ({ endpoint: `https://[::1]:${port()}/push/1` }), 'endpoint', /IP address/],
    ['a numeric IPv4 form', () => ({ endpoint: `https://2130706433:${port()}/push/1` }), 'endpoint', /IP address/],
    ['another port on an allowed host', () => ({ endpoint: `https://localhost:${Number(port()) + 1}/push/1` }), 'endpoint', /port/],
    ['a known host on another port', () => ({ endpoint: 'https://fcm.googleapis.com:8443/fcm/send/x' }), 'endpoint', /port/],
    ['a look-alike host', () => ({ endpoint: 'https://fcm.googleapis.com.evil.test/fcm/send/x' }), 'endpoint', /not a known push service/],
    ['credentials in the URL', () => ({ endpoint: `https://user:secret@${pushService.host}/push/1` }), 'endpoint', /user name or password/],
    ['an over-long endpoint', () => ({ endpoint: `${pushService.origin}/push/${'a'.repeat(1100)}` }), 'endpoint', /longer than/],
    ['a p256dh off the curve', () => ({ keys: { p256dh: offCurve.toString('base64url'), auth } }), 'keys/p256dh', /curve/],
    ['a short p256dh', () => ({ keys: { p256dh: randomBytes(32).toString('base64url'), auth } }), 'keys/p256dh', /65-byte/],
    ['an auth secret of 8 bytes', () => ({ keys: { p256dh, auth: randomBytes(8).toString('base64url') } }), 'keys/auth', /16 bytes/],
    ['no keys', () => ({ keys: undefined }), 'body', /keys/],
    ['an unknown field', () => ({ extra: 1 }), 'body', /additional/],
  ];

  it.each(cases)('refuses %s with a 400 naming the field, and connects nowhere', async (_name, change, field, reason) => {
    const device = await createAccount(server.url);
    const connectionsBefore = pushService.connections;
    const requestsBefore = pushService.requests.length;
    const body = { endpoint: `${pushService.origin}/push/unused`, expirationTime: null, keys: { p256dh, auth }, ...(change() as object) };
    const answer = await api('PUT', `${server.url}/api/push/subscription`, device.deviceToken, body);
    expect(answer.status).toBe(400);
    const error = answer.body as ApiErrorBody;
    expect(error.message).toContain(field);
    expect(error.message).toMatch(reason);
    expect((await api('GET', `${server.url}/api/push/subscription`, device.deviceToken)).body).toMatchObject({ status: 'none' });
    expect(pushService.connections).toBe(connectionsBefore);
    expect(pushService.requests.length).toBe(requestsBefore);
  });
});

describe('a VAPID key change', () => {
  it('makes GET /api/push/subscription answer stale, with the new key id', async () => {
    const first = await startTestServer({ env: { PUSH_ALLOWED_HOSTS: pushService.host, PUSH_EXTRA_CA_FILE: pushService.caFile } });
    try {
      const device = await createAccount(first.url);
      const old = await key(first.url);
      expect(
        (await api('PUT', `${first.url}/api/push/subscription`, device.deviceToken, pushService.subscribe(old.publicKey).json)).status,
      ).toBe(201);
      await first.close();

      const next = webpush.generateVAPIDKeys();
      const rekeyed = await startTestServer({
        dataDir: first.dataDir,
        env: { PUSH_ALLOWED_HOSTS: pushService.host, VAPID_PUBLIC_KEY: next.publicKey, VAPID_PRIVATE_KEY: next.privateKey },
      });
      try {
        const fresh = await key(rekeyed.url);
        expect(fresh.publicKey).toBe(next.publicKey);
        expect(fresh.keyId).not.toBe(old.keyId);
        const state = (await api('GET', `${rekeyed.url}/api/push/subscription`, device.deviceToken)).body as PushSubscriptionStateResponse;
        expect(state).toMatchObject({ status: 'stale', keyId: fresh.keyId, subscription: { keyId: old.keyId } });

        // Subscribing again under the new key makes it current.
        const again = await api(
          'PUT',
          `${rekeyed.url}/api/push/subscription`,
          device.deviceToken,
          pushService.subscribe(fresh.publicKey).json,
        );
        expect(again.body).toMatchObject({ status: 'current', keyId: fresh.keyId });
      } finally {
        await rekeyed.dispose();
      }
    } finally {
      fs.rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
