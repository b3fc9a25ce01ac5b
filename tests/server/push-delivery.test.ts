import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { type OpenDatabase, openDatabase } from '../../server/db/open';
import type { PushRetryJob } from '../../server/jobs/queue';
import { type PushLog, PushSender } from '../../server/push/sender';
import { PushService } from '../../server/push/service';
import { loadVapidKeys, type VapidKeys } from '../../server/push/vapid-keys';
import { PUSH_TOPICS } from '../../src/shared/names';
import { parsePushTickle } from '../../src/shared/push-tickle';
import { LocalPushService, type SimulatedSubscription } from '../helpers/push-service';
import { subscribeDevice } from '../helpers/push-subscribe';
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
const RETRY_POLICY = { baseMs: 50, maxMs: 200, maxAttempts: 4 };
const scheduled: Array<{ job: PushRetryJob; delayMs: number }> = [];

/** The retry the last send scheduled, taken off the list. */
function takeRetry(): { job: PushRetryJob; delayMs: number } {
  const retry = scheduled.shift();
  if (!retry) throw new Error('no retry was scheduled');
  expect(scheduled).toEqual([]);
  return retry;
}

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
  });
  // Retries are recorded here instead of queued: each test runs the push-retry job itself.
  service = new PushService(database.db, sender, keys.keyId, log, {
    retries: { schedule: async (job, delayMs) => void scheduled.push({ job, delayMs }) },
    retryPolicy: RETRY_POLICY,
  });
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
  const sub = await subscribeDevice(server.url, pushService, device.deviceToken, applicationServerKey);
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
    expect(report).toEqual({ targets: 1, sent: 1, failed: 0, removed: 0, skipped: 0, retrying: 0 });

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

  it('429 with Retry-After: recorded as retrying, a retry scheduled that far ahead, and the retry sends it', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 429, headers: { 'Retry-After': '1' } });
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ sent: 0, retrying: 1 });
    const { job, delayMs } = takeRetry();
    expect(delayMs).toBe(1000);
    expect(job).toMatchObject({ deviceId, endpoint: sub.endpoint, type: 'refresh', attempts: 1 });
    expect(await sends(deviceId)).toEqual([expect.objectContaining({ id: job.sendId, status: 'retrying', http_status: 429, attempts: 1 })]);

    await service.retry(job);
    const [first, second] = pushService.received(sub.endpoint);
    expect([first?.status, second?.status]).toEqual([429, 201]);
    // The same push: the device deduplicates by the tickle id.
    expect(parsePushTickle(second?.payload)?.id).toBe(parsePushTickle(first?.payload)?.id);
    // The retry carries what is left of the TTL, not the whole of it again.
    expect(second?.ttl).toBeLessThanOrEqual(3600);
    expect(await sends(deviceId)).toEqual([expect.objectContaining({ status: 'sent', http_status: 201, attempts: 2, error: null })]);
    expect(scheduled).toEqual([]);
  });

  it('503 with Retry-After as an HTTP date is honoured the same way', async () => {
    const { deviceId, sub } = await subscribedDevice();
    const at = new Date(Date.now() + 30_000);
    pushService.script(sub.endpoint, { status: 503, headers: { 'Retry-After': at.toUTCString() } });
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ retrying: 1 });
    const { delayMs } = takeRetry();
    // HTTP dates have whole seconds.
    expect(delayMs).toBeGreaterThan(28_000);
    expect(delayMs).toBeLessThanOrEqual(30_000);
  });

  it('a Retry-After beyond the TTL gives up at once', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 429, headers: { 'Retry-After': '120' } });
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh', { policy: { ttlSeconds: 60 } })).toMatchObject({ failed: 1 });
    expect(scheduled).toEqual([]);
    expect(pushService.received(sub.endpoint)).toHaveLength(1);
    expect((await sends(deviceId))[0]).toMatchObject({ status: 'failed', http_status: 429, error: expect.stringMatching(/TTL ran out/) });
  });

  it('a push service that hangs times out, and the retry (after backoff) sends', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, 'hang');
    const started = Date.now();
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ retrying: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
    const { job, delayMs } = takeRetry();
    expect(delayMs).toBeLessThanOrEqual(RETRY_POLICY.baseMs);
    await service.retry(job);
    expect(pushService.received(sub.endpoint).map((r) => r.status)).toEqual([null, 201]);
    expect((await sends(deviceId))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('5xx every time: retried with growing backoff, then given up after the last attempt', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, ...Array(RETRY_POLICY.maxAttempts).fill({ status: 502 }));
    expect(await service.send({ deviceIds: [deviceId] }, 'refresh')).toMatchObject({ retrying: 1 });
    const delays: number[] = [];
    for (let retry = scheduled.shift(); retry; retry = scheduled.shift()) {
      delays.push(retry.delayMs);
      await service.retry(retry.job);
    }
    // Equal jitter: attempt n waits between half and all of min(maxMs, baseMs·2^(n-1)).
    expect(delays).toHaveLength(RETRY_POLICY.maxAttempts - 1);
    delays.forEach((delay, n) => {
      const ceiling = Math.min(RETRY_POLICY.maxMs, RETRY_POLICY.baseMs * 2 ** n);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
    expect(pushService.received(sub.endpoint)).toHaveLength(RETRY_POLICY.maxAttempts);
    const [row] = await sends(deviceId);
    expect(row).toMatchObject({ status: 'failed', http_status: 502, attempts: RETRY_POLICY.maxAttempts });
    expect(row?.error).toMatch(/gave up after 4 attempts/);
    expect(await subscription(deviceId)).toBeDefined();
  });

  it('410 on a retry deletes the subscription and schedules nothing more', async () => {
    const { deviceId, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 500 }, { status: 410 });
    await service.send({ deviceIds: [deviceId] }, 'refresh');
    await service.retry(takeRetry().job);
    expect(scheduled).toEqual([]);
    expect(await subscription(deviceId)).toBeUndefined();
    expect((await sends(deviceId))[0]).toMatchObject({ status: 'removed', http_status: 410, attempts: 2 });
  });

  it('a retry for a device that subscribed again since goes nowhere', async () => {
    const { deviceId, token, sub } = await subscribedDevice();
    pushService.script(sub.endpoint, { status: 500 });
    await service.send({ deviceIds: [deviceId] }, 'refresh');
    const { job } = takeRetry();
    const fresh = await subscribeDevice(server.url, pushService, token);
    await service.retry(job);
    expect(pushService.received(sub.endpoint)).toHaveLength(1);
    expect(pushService.received(fresh.endpoint)).toHaveLength(0);
    expect((await sends(deviceId))[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/replaced/) });
  });

  it('a slice sent twice under one tickle id reaches each device once', async () => {
    const a = await subscribedDevice();
    const b = await subscribedDevice();
    const tickleId = '4d0c2b9e-6a53-4f0e-9f1e-0a8c7b6d5e4f';
    expect(await service.send({ deviceIds: [a.deviceId] }, 'message', { tickleId })).toMatchObject({ targets: 1, sent: 1 });
    expect(await service.send({ deviceIds: [a.deviceId, b.deviceId] }, 'message', { tickleId })).toMatchObject({ targets: 1, sent: 1 });
    expect(pushService.received(a.sub.endpoint)).toHaveLength(1);
    expect(pushService.received(b.sub.endpoint)).toHaveLength(1);
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
