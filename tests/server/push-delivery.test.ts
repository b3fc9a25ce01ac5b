import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { type OpenDatabase, openDatabase } from '../../server/db/open';
import { type PushLog, PushSender } from '../../server/push/sender';
import { PushService } from '../../server/push/service';
import { loadVapidKeys, type VapidKeys } from '../../server/push/vapid-keys';
import type { PushKeyResponse } from '../../src/shared/api';
import { PUSH_TOPICS } from '../../src/shared/names';
import { parsePushTickle } from '../../src/shared/push-tickle';
import { LocalPushService, type SimulatedSubscription } from '../helpers/push-service';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount } from '../helpers/sync-client';

let pushService: LocalPushService;
let server: TestServer;
let database: OpenDatabase;
let keys: VapidKeys;
let sender: PushSender;
let service: PushService;
const logs: Array<{ level: 'info' | 'warn' | 'error'; message: string; details: object }> = [];
const log: PushLog = {
  info: (details, message) => logs.push({ level: 'info', message, details }),
  warn: (details, message) => logs.push({ level: 'warn', message, details }),
  error: (details, message) => logs.push({ level: 'error', message, details }),
};

const TIMEOUT_MS = 300;

beforeAll(async () => {
  pushService = await LocalPushService.start();
  server = await startTestServer({ env: { PUSH_ALLOWED_HOSTS: pushService.host, PUSH_EXTRA_CA_FILE: pushService.caFile } });
  // A sender in the test process against the server's own database and keys, with short timings.
  database = await openDatabase(server.config);
  keys = loadVapidKeys(server.dataDir, server.config.push);
  sender = new PushSender({
    keys,
    allowedHosts: server.config.push.allowedHosts,
    timeoutMs: TIMEOUT_MS,
    log,
    extraCa: fs.readFileSync(pushService.caFile),
    backoff: { baseMs: 50, maxMs: 200 },
  });
  service = new PushService(database.db, sender, keys.keyId, log);
});
afterAll(async () => {
  sender?.close();
  await database?.close();
  await server?.dispose();
  await pushService?.close();
});

/** A device of a new account whose browser subscribed with `applicationServerKey` (default: the server's key). */
async function subscribedDevice(applicationServerKey?: string): Promise<{ deviceId: string; token: string; sub: SimulatedSubscription }> {
  const device = await createAccount(server.url);
  const { publicKey } = (await (await fetch(`${server.url}/api/push/key`)).json()) as PushKeyResponse;
  const sub = pushService.subscribe(applicationServerKey ?? publicKey);
  const put = await fetch(`${server.url}/api/push/subscription`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${device.deviceToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(sub.json),
  });
  expect(put.status).toBe(201);
  return { deviceId: device.deviceId, token: device.deviceToken, sub };
}

const sends = (deviceId: string) =>
  database.db.selectFrom('push_sends').selectAll().where('device_id', '=', deviceId).orderBy('created_at').execute();
const subscription = (deviceId: string) =>
  database.db.selectFrom('push_subscriptions').selectAll().where('device_id', '=', deviceId).executeTakeFirst();

describe('a push as the push service receives it', () => {
  it('carries only the tickle, encrypted, with the policy TTL, Urgency, Topic and a VAPID JWT for the origin', async () => {
    const { deviceId, sub } = await subscribedDevice();
    const report = await service.send({ deviceIds: [deviceId] }, 'refresh');
    expect(report).toEqual({ targets: 1, sent: 1, failed: 0, removed: 0, skipped: 0 });

    const [request] = pushService.received(sub.endpoint);
    expect(request).toMatchObject({ status: 201, ttl: 3600, urgency: 'normal', topic: PUSH_TOPICS.refresh, problem: null });
    const payload = JSON.parse(request?.payload ?? 'null') as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(['id', 'type']);
    expect(parsePushTickle(request?.payload)).toEqual({ type: 'refresh', id: expect.any(String) });
    expect(request?.vapid).toMatchObject({ aud: pushService.origin, sub: 'mailto:ops@steady.invalid', key: keys.publicKey });
    const exp = request?.vapid?.exp ?? 0;
    expect(exp).toBeGreaterThan(Date.now() / 1000 + 11 * 3600);
    expect(exp).toBeLessThanOrEqual(Date.now() / 1000 + 24 * 3600);

    expect(await sends(deviceId)).toEqual([
      expect.objectContaining({ type: 'refresh', status: 'sent', http_status: 201, attempts: 1, error: null }),
    ]);
  });

  it('uses each type’s policy, high urgency only when asked, and collapses repeats by topic', async () => {
    const { deviceId, sub } = await subscribedDevice();
    await service.send({ deviceIds: [deviceId] }, 'sync');
    await service.send({ deviceIds: [deviceId] }, 'message', { policy: { urgency: 'high' } });
    await service.send({ deviceIds: [deviceId] }, 'refresh');
    await service.send({ deviceIds: [deviceId] }, 'refresh');
    const received = pushService.received(sub.endpoint);
    expect(received.map((r) => [r.ttl, r.urgency, r.topic])).toEqual([
      [12 * 3600, 'low', PUSH_TOPICS.sync],
      [24 * 3600, 'high', PUSH_TOPICS.message],
      [3600, 'normal', PUSH_TOPICS.refresh],
      [3600, 'normal', PUSH_TOPICS.refresh],
    ]);
    // The second refresh replaced the first in the device's mailbox (RFC 8030 §5.4).
    const mailbox = pushService.mailbox(sub.endpoint).map((m) => parsePushTickle(m.payload)?.type);
    expect(mailbox.sort()).toEqual(['message', 'refresh', 'sync']);
    expect(pushService.mailbox(sub.endpoint, Date.now() + 2 * 3600_000).map((m) => m.topic)).toEqual([
      PUSH_TOPICS.sync,
      PUSH_TOPICS.message,
    ]);
  });

  it('signs one JWT per push-service origin and reuses it', async () => {
    const a = await subscribedDevice();
    const b = await subscribedDevice();
    await service.send({ deviceIds: [a.deviceId, b.deviceId] }, 'refresh');
    await service.send({ deviceIds: [a.deviceId] }, 'refresh');
    const tokens = new Set([...pushService.received(a.sub.endpoint), ...pushService.received(b.sub.endpoint)].map((r) => r.token));
    expect(tokens.size).toBe(1);
  });
});

describe('push service answers', () => {
  it('410 Gone deletes the subscription', async () => {
    const { deviceId, token, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 410 });
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ removed: 1, sent: 0 });
    expect(await subscription(deviceId)).toBeUndefined();
    const state = await (await fetch(`${server.url}/api/push/subscription`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(state).toMatchObject({ status: 'none' });
    expect(await sends(deviceId)).toEqual([expect.objectContaining({ status: 'removed', http_status: 410, attempts: 1 })]);
  });

  it('404 deletes it too', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 404 });
    expect(await service.send({ deviceIds: [deviceId] }, 'sync')).toMatchObject({ removed: 1 });
    expect(await subscription(deviceId)).toBeUndefined();
  });

  it('429 with Retry-After waits that long, then sends', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 429, headers: { 'Retry-After': '1' } });
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ sent: 1 });
    const [first, second] = pushService.received(sub.endpoint);
    expect([first?.status, second?.status]).toEqual([429, 201]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(await sends(deviceId)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
  });

  it('503 with Retry-After is honoured the same way', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 503, headers: { 'Retry-After': '1' } });
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ sent: 1 });
    const [first, second] = pushService.received(sub.endpoint);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a Retry-After beyond the TTL gives up at once', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 429, headers: { 'Retry-After': '120' } });
    const started = Date.now();
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh', { policy: { ttlSeconds: 60 } })).toMatchObject({ failed: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(pushService.received(sub.endpoint)).toHaveLength(1);
  });

  it('a push service that hangs times out, and the push is retried', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, 'hang');
    const started = Date.now();
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ sent: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(pushService.received(sub.endpoint).map((r) => r.status)).toEqual([null, 201]);
  });

  it('a push service that always hangs fails the push once the TTL has run out', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, ...Array(20).fill('hang'));
    const started = Date.now();
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh', { policy: { ttlSeconds: 1 } })).toMatchObject({ failed: 1 });
    expect(Date.now() - started).toBeLessThan(1000 + TIMEOUT_MS + 500);
    const [row] = await sends(deviceId);
    expect(row?.error).toMatch(/TTL ran out .*TIMEOUT/);
    expect(row?.attempts).toBeGreaterThanOrEqual(2);
    expect(await subscription(deviceId)).toBeDefined();
  });

  it('500 then 201: retried with backoff and sent', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 500 });
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ sent: 1 });
    expect(pushService.received(sub.endpoint).map((r) => r.status)).toEqual([500, 201]);
    // The retry carries what is left of the TTL, not the whole of it again.
    expect(pushService.received(sub.endpoint)[1]?.ttl).toBeLessThanOrEqual(3600);
  });

  it('5xx until the TTL runs out: retried, then dropped', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, ...Array(100).fill({ status: 502 }));
    const started = Date.now();
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh', { policy: { ttlSeconds: 1 } })).toMatchObject({ failed: 1 });
    expect(Date.now() - started).toBeLessThan(1500);
    const requests = pushService.received(sub.endpoint);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    const [row] = await sends(deviceId);
    expect(row).toMatchObject({ status: 'failed', http_status: 502, attempts: requests.length });
    expect(row?.error).toMatch(/TTL ran out/);
    expect(await subscription(deviceId)).toBeDefined();
  });

  it('403 (a key the subscription was not made with) keeps the subscription and logs an error', async () => {
    const otherKey = webpush.generateVAPIDKeys().publicKey;
    const { deviceId, sub } = await subscribedDevice(otherKey);
    logs.length = 0;
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ failed: 1, removed: 0 });
    expect(pushService.received(sub.endpoint)).toEqual([expect.objectContaining({ status: 403 })]);
    expect(await subscription(deviceId)).toBeDefined();
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringMatching(/VAPID/) }));
  });

  it('401 keeps the subscription, is not retried, and logs an error', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 401, body: '{"reason":"BadJwtToken"}' });
    logs.length = 0;
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ failed: 1 });
    expect(pushService.received(sub.endpoint)).toHaveLength(1);
    expect(await subscription(deviceId)).toBeDefined();
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', details: expect.objectContaining({ status: 401 }) }));
    expect((await sends(deviceId))[0]?.error).toContain('BadJwtToken');
  });

  it('413 is logged as a bug and not retried', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 413 });
    logs.length = 0;
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ failed: 1 });
    expect(pushService.received(sub.endpoint)).toHaveLength(1);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringMatching(/bug/) }));
  });
});

describe('before sending', () => {
  it('skips a subscription made under an older VAPID key, connecting nowhere', async () => {
    const { deviceId, sub } = await subscribedDevice();
    await database.db.updateTable('push_subscriptions').set({ key_id: '0123456789abcdef' }).where('device_id', '=', deviceId).execute();
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ targets: 1, skipped: 1, sent: 0 });
    expect(pushService.received(sub.endpoint)).toHaveLength(0);
  });

  it('re-validates the endpoint: a stored endpoint no longer allowed is not contacted', async () => {
    const { deviceId } = await subscribedDevice();
    const sneaky = `https://127.0.0.1:${new URL(pushService.origin).port}/push/x`;
    await database.db.updateTable('push_subscriptions').set({ endpoint: sneaky }).where('device_id', '=', deviceId).execute();
    const connections = pushService.connections;
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ failed: 1 });
    expect(pushService.connections).toBe(connections);
    expect((await sends(deviceId))[0]).toMatchObject({ attempts: 0, error: expect.stringMatching(/IP address/) });
  });

  it('drops an expired subscription without sending', async () => {
    const { deviceId, sub } = await subscribedDevice();
    await database.db
      .updateTable('push_subscriptions')
      .set({ expiration_time: Date.now() - 1000 })
      .where('device_id', '=', deviceId)
      .execute();
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ removed: 1 });
    expect(pushService.received(sub.endpoint)).toHaveLength(0);
    expect(await subscription(deviceId)).toBeUndefined();
  });

  it('never targets a revoked device', async () => {
    const { deviceId, sub } = await subscribedDevice();
    await database.db.updateTable('devices').set({ revoked_at: new Date().toISOString() }).where('id', '=', deviceId).execute();
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ targets: 0 });
    expect(pushService.received(sub.endpoint)).toHaveLength(0);
  });
});
