import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../server/db/open';
import { enqueueFanOut, FAN_OUT_SLICE } from '../../server/jobs/fan-out-job';
import { waitUntilIdle } from '../../server/jobs/idle';
import { openJobQueue } from '../../server/jobs/open-queue';
import { jobsSchemaFor } from '../../server/jobs/pg-boss-queue';
import { noteUpload } from '../../server/jobs/refresh-job';
import { runStaleSweep } from '../../server/jobs/stale-sweep-job';
import { claimStaleDevices } from '../../server/push/stale-sync';
import type { PushKeyResponse } from '../../src/shared/api';
import { parsePushTickle } from '../../src/shared/push-tickle';
import { insertSubscribedDevices } from '../helpers/push-rows';
import { LocalPushService, type SimulatedSubscription } from '../helpers/push-service';
import { subscribeDevice } from '../helpers/push-subscribe';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, joinAccount, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

/**
 * The push jobs through the real queue (pg-boss on Postgres, the jobs table on SQLite), with two
 * server instances on one database where the point is that instances share the work.
 */

const JOB_ENV = { JOB_POLL_MS: '100', JOB_CLOSE_TIMEOUT_MS: '2000' };

let pushService: LocalPushService;
beforeAll(async () => {
  pushService = await LocalPushService.start();
});
afterAll(async () => {
  await pushService?.close();
});

function pushEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PUSH_ALLOWED_HOSTS: pushService.host, PUSH_EXTRA_CA_FILE: pushService.caFile, ...JOB_ENV, ...extra };
}

const subscribe = (server: TestServer, token: string) => subscribeDevice(server.url, pushService, token);

const types = (sub: SimulatedSubscription) => pushService.received(sub.endpoint).map((r) => parsePushTickle(r.payload)?.type);

let minute = 0;
/** A batch of new samples (a fresh minute each), so every upload changes the account's data. */
function upload(server: TestServer, token: string) {
  const samples = syntheticSamples(Date.UTC(2026, 2, 1, 8, minute++), 20);
  return uploadBatch(server.url, token, { header: {}, chunks: toChunks(samples), docs: [] });
}

describe('refresh after uploads', () => {
  const DEBOUNCE_MS = 1500;
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startTestServer({ env: pushEnv({ PUSH_DEBOUNCE_MS: String(DEBOUNCE_MS) }) });
    second = await startTestServer({ sharedWith: first, env: pushEnv({ PUSH_DEBOUNCE_MS: String(DEBOUNCE_MS) }) });
  });
  afterAll(async () => {
    await second?.dispose();
    await first?.dispose();
  });

  it('is sent once per burst when the uploads land on two instances', async () => {
    const phone = await createAccount(first.url, 'phone');
    const tablet = await joinAccount(first.url, phone, 'tablet');
    const watch = await joinAccount(first.url, phone, 'watch');
    const [phoneSub, tabletSub, watchSub] = [
      await subscribe(first, phone.deviceToken),
      await subscribe(first, tablet.deviceToken),
      await subscribe(second, watch.deviceToken),
    ];
    const runsBefore = first.jobs.runs.refresh.done + second.jobs.runs.refresh.done;
    // A burst from the phone, alternating instances, well within the window.
    const statuses = [];
    for (const server of [first, second, first, second]) statuses.push((await upload(server, phone.deviceToken)).status);
    expect(statuses).toEqual([201, 201, 201, 201]);

    await pushService.waitFor(() => types(watchSub).length > 0, DEBOUNCE_MS + 5000);
    await waitUntilIdle(first.jobs);
    expect(types(watchSub)).toEqual(['refresh']);
    expect(types(tabletSub)).toEqual(['refresh']);
    expect(types(phoneSub)).toEqual([]);
    expect(first.jobs.runs.refresh.done + second.jobs.runs.refresh.done - runsBefore).toBe(1);

    // The next burst is another refresh; with two devices uploading, each hears of the other.
    await upload(second, phone.deviceToken);
    await upload(first, tablet.deviceToken);
    await pushService.waitFor(() => types(watchSub).length > 1, DEBOUNCE_MS + 5000);
    await waitUntilIdle(first.jobs);
    expect([types(phoneSub), types(tabletSub), types(watchSub)]).toEqual([['refresh'], ['refresh', 'refresh'], ['refresh', 'refresh']]);
  });

  it('survives a restart of the instance that took the upload', async () => {
    const own = await startTestServer({ env: pushEnv({ PUSH_DEBOUNCE_MS: String(DEBOUNCE_MS) }) });
    let restarted: TestServer | undefined;
    try {
      const phone = await createAccount(own.url, 'phone');
      const tablet = await joinAccount(own.url, phone, 'tablet');
      const tabletSub = await subscribe(own, tablet.deviceToken);
      expect((await upload(own, phone.deviceToken)).status).toBe(201);
      // Stopped before the window ends: the refresh waits in the database, not in this process.
      await own.app.close();
      expect(types(tabletSub)).toEqual([]);
      restarted = await own.restart();
      await pushService.waitFor(() => types(tabletSub).length > 0, DEBOUNCE_MS + 5000);
      await waitUntilIdle(restarted.jobs);
      expect(types(tabletSub)).toEqual(['refresh']);
    } finally {
      await (restarted ?? own).dispose();
    }
  });
});

describe('the stale-device sweep', () => {
  let first: TestServer;
  let second: TestServer;
  let database: OpenDatabase;
  let other: OpenDatabase;
  beforeAll(async () => {
    const env = pushEnv({ STALE_CHECK_INTERVAL_MS: '200', STALE_SYNC_HOURS: '20' });
    first = await startTestServer({ env });
    second = await startTestServer({ sharedWith: first, env });
    database = await openDatabase(first.config);
    other = await openDatabase(first.config);
  });
  afterAll(async () => {
    await other?.close();
    await database?.close();
    await second?.dispose();
    await first?.dispose();
  });

  async function staleDevices(count: number): Promise<Array<{ deviceId: string; sub: SimulatedSubscription }>> {
    const devices = [];
    for (let i = 0; i < count; i++) {
      const device = await createAccount(first.url, `stale ${i}`);
      devices.push({ deviceId: device.deviceId, sub: await subscribe(first, device.deviceToken) });
    }
    const longAgo = new Date(Date.now() - 21 * 3600_000).toISOString();
    await database.db
      .updateTable('devices')
      .set({ last_seen_at: longAgo })
      .where(
        'id',
        'in',
        devices.map((d) => d.deviceId),
      )
      .execute();
    return devices;
  }

  it('claims each stale device once when two sweeps run at the same moment', async () => {
    // Direct claims from two connections, racing each other and both instances' periodic sweeps.
    for (let round = 0; round < 3; round++) {
      const ids = (await staleDevices(10)).map((d) => d.deviceId);
      const claims = await Promise.all([claimStaleDevices(database.db, 20), claimStaleDevices(other.db, 20)]);
      const claimed = claims.flat().filter((id) => ids.includes(id));
      // None claimed twice; devices a periodic sweep claimed first are its to push.
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(await claimStaleDevices(database.db, 20)).toEqual([]);
    }
  });

  it('pushes each stale device once with both instances sweeping every 200 ms', async () => {
    const devices = await staleDevices(8);
    // Two sweep jobs at once, one per instance, besides the periodic ones.
    await Promise.all([runStaleSweep(database.db, first.jobs, 20), runStaleSweep(other.db, second.jobs, 20)]);
    await pushService.waitFor(() => devices.every((d) => types(d.sub).length > 0), 5000);
    // A few more periods in which both instances sweep.
    const sweeps = first.jobs.runs['stale-sweep'].done + second.jobs.runs['stale-sweep'].done;
    await expect
      .poll(() => first.jobs.runs['stale-sweep'].done + second.jobs.runs['stale-sweep'].done, { timeout: 10_000, interval: 100 })
      .toBeGreaterThanOrEqual(sweeps + 3);
    await waitUntilIdle(first.jobs);
    for (const device of devices) expect(types(device.sub)).toEqual(['sync']);
  });
});

describe('push retries through the queue', () => {
  let server: TestServer;
  let database: OpenDatabase;
  beforeAll(async () => {
    server = await startTestServer({ env: pushEnv({ PUSH_DEBOUNCE_MS: '0' }) });
    database = await openDatabase(server.config);
  });
  afterAll(async () => {
    await database?.close();
    await server?.dispose();
  });

  async function uploaderAndListener() {
    const phone = await createAccount(server.url, 'phone');
    const tablet = await joinAccount(server.url, phone, 'tablet');
    return { phone, tablet, sub: await subscribe(server, tablet.deviceToken) };
  }
  const sends = (deviceId: string) => database.db.selectFrom('push_sends').selectAll().where('device_id', '=', deviceId).execute();

  it('429 with Retry-After: the retry job sends no earlier than the push service asked', async () => {
    const { phone, tablet, sub } = await uploaderAndListener();
    pushService.script(sub.endpoint, { status: 429, headers: { 'Retry-After': '2' } });
    const retriesBefore = server.jobs.runs['push-retry'].done;
    await upload(server, phone.deviceToken);
    await pushService.waitFor(() => pushService.received(sub.endpoint).length > 1, 8000);
    const [first, second] = pushService.received(sub.endpoint);
    expect([first?.status, second?.status]).toEqual([429, 201]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2000);
    await waitUntilIdle(server.jobs);
    expect(server.jobs.runs['push-retry'].done - retriesBefore).toBe(1);
    expect(await sends(tablet.deviceId)).toEqual([
      expect.objectContaining({ type: 'refresh', status: 'sent', http_status: 201, attempts: 2 }),
    ]);
  });

  it('410 removes the subscription and nothing is retried', async () => {
    const { phone, tablet, sub } = await uploaderAndListener();
    pushService.script(sub.endpoint, { status: 410 });
    const retriesBefore = server.jobs.runs['push-retry'].done;
    await upload(server, phone.deviceToken);
    await pushService.waitFor(() => pushService.received(sub.endpoint).length > 0, 5000);
    await waitUntilIdle(server.jobs);
    expect(pushService.received(sub.endpoint).map((r) => r.status)).toEqual([410]);
    expect(server.jobs.runs['push-retry'].done).toBe(retriesBefore);
    expect(await database.db.selectFrom('push_subscriptions').selectAll().where('device_id', '=', tablet.deviceId).execute()).toEqual([]);
    expect(await sends(tablet.deviceId)).toEqual([expect.objectContaining({ status: 'removed', http_status: 410, attempts: 1 })]);
  });
});

describe('fan-out', () => {
  const DEVICES = 5 * FAN_OUT_SLICE + 37;
  let first: TestServer;
  let second: TestServer;
  let database: OpenDatabase;
  beforeAll(async () => {
    first = await startTestServer({ env: pushEnv() });
    second = await startTestServer({ sharedWith: first, env: pushEnv() });
    database = await openDatabase(first.config);
  });
  afterAll(async () => {
    await database?.close();
    await second?.dispose();
    await first?.dispose();
  });

  it(`sends each of ${DEVICES} subscriptions exactly one push, in slices shared by two instances`, async () => {
    const { publicKey } = (await (await fetch(`${first.url}/api/push/key`)).json()) as PushKeyResponse;
    const owner = await createAccount(first.url, 'owner');
    const ownerSub = await subscribe(first, owner.deviceToken);
    const { key_id: keyId } = await database.db
      .selectFrom('push_subscriptions')
      .select('key_id')
      .where('device_id', '=', owner.deviceId)
      .executeTakeFirstOrThrow();
    const subs = Array.from({ length: DEVICES }, () => pushService.subscribe(publicKey));
    const ids = await insertSubscribedDevices(
      database.db,
      owner.accountId,
      subs.map((s) => s.json),
      keyId,
    );
    const deviceIds = [owner.deviceId, ...ids].sort();
    const before = first.jobs.runs['fan-out'].done + second.jobs.runs['fan-out'].done;
    const { tickleId, slices } = await enqueueFanOut(first.jobs, deviceIds, 'message');
    expect(slices).toBe(Math.ceil((DEVICES + 1) / FAN_OUT_SLICE));

    await waitUntilIdle(first.jobs, { timeoutMs: 60_000 });
    const all = [ownerSub, ...subs];
    const counts = all.map((sub) => pushService.received(sub.endpoint).length);
    expect(counts.filter((n) => n !== 1)).toEqual([]);
    expect(new Set(all.map((sub) => parsePushTickle(pushService.received(sub.endpoint)[0]?.payload)?.id))).toEqual(new Set([tickleId]));
    expect(first.jobs.runs['fan-out'].done + second.jobs.runs['fan-out'].done - before).toBe(slices);
    const rows = await database.db.selectFrom('push_sends').select('status').where('tickle_id', '=', tickleId).execute();
    expect(rows).toHaveLength(DEVICES + 1);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  }, 90_000);
});

describe('GET /api/health and the job queue', () => {
  it('answers 503 unavailable, and nothing else, when the queue’s storage is gone though the database answers', async () => {
    const server = await startTestServer({ env: JOB_ENV });
    const database = await openDatabase(server.config);
    try {
      expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ status: 'ok' });
      if (database.dialect === 'postgres')
        await sql`drop schema ${sql.id(jobsSchemaFor(server.config.databaseSchema))} cascade`.execute(database.db);
      else await sql`drop table jobs`.execute(database.db);
      const answer = await fetch(`${server.url}/api/health`);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({ status: 'unavailable' });
    } finally {
      await database.close();
      await server.dispose();
    }
  });
});

describe('a job held by a killed process', () => {
  it('runs again on another instance once its expiry passes', async () => {
    const env = { ...JOB_ENV, JOB_EXPIRE_SECONDS: '2', JOB_MAINTENANCE_SECONDS: '1' };
    const server = await startTestServer({ env });
    const phone = await createAccount(server.url, 'phone');
    // Stopped, so that the holder is the only process working the queue when the job comes.
    await server.app.close();
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../helpers/job-holder.ts')], {
      env: {
        PATH: process.env.PATH,
        ...(server.config.databaseUrl
          ? { DATABASE_URL: server.config.databaseUrl, DATABASE_SCHEMA: server.config.databaseSchema ?? '' }
          : {}),
        DATA_DIR: server.dataDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const database = await openDatabase(server.config);
    const client = await openJobQueue(server.config, database, { info() {}, error() {} });
    let restarted: TestServer | undefined;
    try {
      let out = '';
      holder.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      await expect.poll(() => out, { timeout: 15_000 }).toContain('READY');
      await noteUpload(database.db, client, { accountId: phone.accountId, deviceId: phone.deviceId, debounceMs: 0 });
      await expect.poll(() => out, { timeout: 5000 }).toContain(`TAKEN ${phone.accountId}`);
      holder.kill('SIGKILL');
      const killedAt = Date.now();
      restarted = await server.restart();
      const uploaders = () => database.db.selectFrom('refresh_uploaders').selectAll().where('account_id', '=', phone.accountId).execute();
      expect(await uploaders()).toHaveLength(1);
      await expect.poll(() => restarted?.jobs.runs.refresh.done, { timeout: 20_000, interval: 50 }).toBe(1);
      // expire (2 s) + maintenance (1 s) + pg-boss's retry delay (1–2 s) + a poll, with room.
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      // The real refresh ran: it read and cleared the uploader.
      expect(await uploaders()).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
      await client.close();
      await database.close();
      await (restarted ?? server).dispose();
    }
  }, 60_000);
});
