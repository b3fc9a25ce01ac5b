import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../server/db/open';
import type { JobQueue } from '../../server/jobs/queue';
import { noteUpload, runRefresh } from '../../server/jobs/refresh-job';
import type { PushService } from '../../server/push/service';
import { PUSH_TOPICS } from '../../src/shared/names';
import { parsePushTickle } from '../../src/shared/push-tickle';
import { LocalPushService, type SimulatedSubscription } from '../helpers/push-service';
import { subscribeDevice } from '../helpers/push-subscribe';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, joinAccount, pull, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

const root = path.resolve(import.meta.dirname, '../..');
const DEBOUNCE_MS = 500;

let pushService: LocalPushService;
let server: TestServer;
let database: OpenDatabase;

beforeAll(async () => {
  pushService = await LocalPushService.start();
  server = await startTestServer({
    env: {
      PUSH_ALLOWED_HOSTS: pushService.host,
      PUSH_EXTRA_CA_FILE: pushService.caFile,
      PUSH_DEBOUNCE_MS: String(DEBOUNCE_MS),
      STALE_CHECK_INTERVAL_MS: '100',
      STALE_SYNC_HOURS: '20',
    },
  });
  database = await openDatabase(server.config);
});
afterAll(async () => {
  await database?.close();
  await server?.dispose();
  await pushService?.close();
});

const subscribe = (token: string) => subscribeDevice(server.url, pushService, token);

/** An account with two subscribed devices. */
async function twoDevices() {
  const a = await createAccount(server.url, 'phone');
  const b = await joinAccount(server.url, a, 'tablet');
  return { a: { ...a, sub: await subscribe(a.deviceToken) }, b: { ...b, sub: await subscribe(b.deviceToken) } };
}

const types = (sub: SimulatedSubscription) => pushService.received(sub.endpoint).map((r) => parsePushTickle(r.payload)?.type);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('onDataUploaded', () => {
  it('sends one debounced refresh to the other device of the account, not to the uploader', async () => {
    const { a, b } = await twoDevices();
    const bystander = await createAccount(server.url);
    const bystanderSub = await subscribe(bystander.deviceToken);

    // A burst of three uploads, well within one debounce period.
    const started = Date.now();
    const uploads = await Promise.all(
      [0, 1, 2].map((minute) => {
        const samples = syntheticSamples(Date.UTC(2026, 0, 5, 8, minute), 30);
        return uploadBatch(server.url, a.deviceToken, { header: {}, chunks: toChunks(samples), docs: [] });
      }),
    );
    expect(uploads.map((u) => u.status)).toEqual([201, 201, 201]);
    await pushService.waitFor(() => pushService.received(b.sub.endpoint).length > 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEBOUNCE_MS);
    await pause(DEBOUNCE_MS * 2);

    expect(types(b.sub)).toEqual(['refresh']);
    expect(types(a.sub)).toEqual([]);
    expect(types(bystanderSub)).toEqual([]);
    // The refresh is what makes B pull: it finds A's data.
    expect((await pull(server.url, b.deviceToken)).chunks).toHaveLength(3);
  });

  it('sends nothing for an upload that changed nothing', async () => {
    const { a, b } = await twoDevices();
    const batch = { header: {}, chunks: toChunks(syntheticSamples(Date.UTC(2026, 0, 6, 8), 10)), docs: [] };
    const first = await uploadBatch(server.url, a.deviceToken, batch);
    await pushService.waitFor(() => pushService.received(b.sub.endpoint).length > 0);
    await uploadBatch(server.url, a.deviceToken, batch, first.batchId);
    await pause(DEBOUNCE_MS * 2);
    expect(types(b.sub)).toEqual(['refresh']);
  });
});

describe('the stale-device check', () => {
  it('sends sync to a device unseen for STALE_SYNC_HOURS, once per stale period', async () => {
    const { a, b } = await twoDevices();
    const longAgo = new Date(Date.now() - 21 * 3600_000).toISOString();
    await database.db.updateTable('devices').set({ last_seen_at: longAgo }).where('id', '=', b.deviceId).execute();

    await pushService.waitFor(() => pushService.received(b.sub.endpoint).length > 0, 3000);
    await pause(500); // five more checks
    expect(types(b.sub)).toEqual(['sync']);
    expect(pushService.received(b.sub.endpoint)[0]).toMatchObject({ urgency: 'low', topic: PUSH_TOPICS.sync });
    expect(types(a.sub)).toEqual([]);
    const state = await database.db.selectFrom('push_state').selectAll().where('device_id', '=', b.deviceId).executeTakeFirst();
    expect(Date.parse(state?.stale_sync_at ?? '')).toBeGreaterThan(Date.now() - 5000);

    // A whole stale period after that nudge, a device still unseen is nudged again.
    const nudgedLongAgo = new Date(Date.now() - 20.5 * 3600_000).toISOString();
    await database.db.updateTable('push_state').set({ stale_sync_at: nudgedLongAgo }).where('device_id', '=', b.deviceId).execute();
    await pushService.waitFor(() => pushService.received(b.sub.endpoint).length > 1, 3000);
    expect(types(b.sub)).toEqual(['sync', 'sync']);
  });
});

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [tsx, 'server/cli.ts', ...args],
      {
        cwd: root,
        timeout: 20_000,
        env: {
          PATH: process.env.PATH,
          DATA_DIR: server.dataDir,
          ...(server.config.databaseUrl ? { DATABASE_URL: server.config.databaseUrl, DATABASE_SCHEMA: server.config.databaseSchema } : {}),
          PUSH_ALLOWED_HOSTS: pushService.host,
          PUSH_EXTRA_CA_FILE: pushService.caFile,
        },
      },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('npm run steady -- push / message', () => {
  it('push --dry-run counts the targets and sends nothing; a real run sends, and removes what is gone', async () => {
    const { a, b } = await twoDevices();
    const dry = await cli('push', '--account', a.accountId, '--type', 'refresh', '--dry-run');
    expect(dry.stdout).toContain('dry run: would push to 2 subscribed devices');
    expect(dry.stdout).toContain('sent 0, failed 0, removed 0');
    expect(dry.code).toBe(0);
    expect(types(a.sub)).toEqual([]);

    pushService.script(b.sub.endpoint, { status: 410 });
    const real = await cli('push', '--account', a.accountId, '--type', 'refresh');
    expect(real.stdout).toContain('subscribed devices: 2');
    expect(real.stdout).toContain('sent 1, failed 0, removed 1');
    expect(real.code).toBe(0);
    expect(types(a.sub)).toEqual(['refresh']);

    const one = await cli('push', '--device', a.deviceId, '--type', 'sync');
    expect(one.stdout).toContain('sent 1, failed 0, removed 0');
    expect(types(a.sub)).toEqual(['refresh', 'sync']);
  }, 60_000);

  it('push --all --dry-run counts every subscribed device', async () => {
    const subscribed = await database.db
      .selectFrom('push_subscriptions as s')
      .innerJoin('devices as d', 'd.id', 's.device_id')
      .where('d.revoked_at', 'is', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const dry = await cli('push', '--all', '--type', 'sync', '--dry-run');
    expect(dry.stdout).toContain(`would push to ${Number(subscribed.n)} subscribed devices`);
  }, 30_000);

  it('message stores the message, syncs it down and pushes message; --dry-run stores nothing', async () => {
    const { a, b } = await twoDevices();
    const dry = await cli('message', '--account', a.accountId, 'Not yet', '--dry-run');
    expect(dry.stdout).toContain('dry run: message not stored');
    expect(await database.db.selectFrom('messages').selectAll().where('account_id', '=', a.accountId).execute()).toEqual([]);

    const sent = await cli('message', '--account', a.accountId, 'How was your week?');
    expect(sent.stdout).toMatch(/message [0-9a-f-]{36} stored/);
    expect(sent.stdout).toContain('sent 2, failed 0, removed 0');
    const [row] = await database.db.selectFrom('messages').selectAll().where('account_id', '=', a.accountId).execute();
    expect(row).toMatchObject({ text: 'How was your week?', read_at: null });
    expect(types(a.sub)).toEqual(['message']);
    expect(types(b.sub)).toEqual(['message']);
    // The text travels by sync, never in the push.
    expect(pushService.received(a.sub.endpoint)[0]?.payload).not.toContain('week');
    const docs = (await pull(server.url, b.deviceToken)).docs;
    expect(docs).toContainEqual(
      expect.objectContaining({ kind: 'message', id: row?.id, body: expect.objectContaining({ text: 'How was your week?' }) }),
    );
  }, 60_000);

  it('explains its usage and refuses unknown ids', async () => {
    const usage = await cli('push', '--type', 'sync');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('exactly one of --device');
    const unknown = await cli('push', '--device', '00000000-0000-4000-8000-000000000000', '--type', 'sync');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no device');
  }, 30_000);
});

describe('the refresh job', () => {
  function recorder() {
    const calls: Array<{ audience: unknown; type: string }> = [];
    const push = {
      send: async (audience: unknown, type: string) => {
        calls.push({ audience, type });
        return { targets: 0, sent: 0, failed: 0, removed: 0, skipped: 0, retrying: 0 };
      },
    } as unknown as PushService;
    const sent: Array<{ name: string; data: unknown; options: unknown }> = [];
    const queue = {
      send: async (name: string, data: unknown, options: unknown) => {
        sent.push({ name, data, options });
        return true;
      },
    } as unknown as JobQueue;
    return { calls, push, queue, sent };
  }

  it('queues one refresh per account keyed by it; tells every device when several uploaded, else all but the uploader', async () => {
    const { calls, push, queue, sent } = recorder();
    const one = await createAccount(server.url, 'phone');
    const two = await joinAccount(server.url, one, 'tablet');
    const other = await createAccount(server.url, 'watch');
    for (const [accountId, deviceId] of [
      [one.accountId, one.deviceId],
      [one.accountId, two.deviceId],
      [other.accountId, other.deviceId],
    ] as const)
      await noteUpload(database.db, queue, { accountId, deviceId, debounceMs: 50 });
    expect(sent).toEqual([
      { name: 'refresh', data: { accountId: one.accountId }, options: { key: one.accountId, delayMs: 50 } },
      { name: 'refresh', data: { accountId: one.accountId }, options: { key: one.accountId, delayMs: 50 } },
      { name: 'refresh', data: { accountId: other.accountId }, options: { key: other.accountId, delayMs: 50 } },
    ]);
    await runRefresh(database.db, push, { accountId: one.accountId });
    await runRefresh(database.db, push, { accountId: other.accountId });
    expect(calls).toEqual([
      { audience: { accountId: one.accountId, exceptDeviceIds: [] }, type: 'refresh' },
      { audience: { accountId: other.accountId, exceptDeviceIds: [other.deviceId] }, type: 'refresh' },
    ]);
    // The uploaders are cleared: a second run of the job (a retry after a crash) finds them announced.
    await runRefresh(database.db, push, { accountId: one.accountId });
    expect(calls).toHaveLength(2);
  });

  it('keeps an upload that lands while the job runs for the next job', async () => {
    const { calls, queue } = recorder();
    const phone = await createAccount(server.url, 'phone');
    await noteUpload(database.db, queue, { accountId: phone.accountId, deviceId: phone.deviceId, debounceMs: 0, now: Date.now() - 1000 });
    const pushDuringUpload = {
      send: async (audience: unknown, type: string) => {
        calls.push({ audience, type });
        // The same device uploads again while the push is going out.
        await noteUpload(database.db, queue, { accountId: phone.accountId, deviceId: phone.deviceId, debounceMs: 0 });
        return { targets: 0, sent: 0, failed: 0, removed: 0, skipped: 0, retrying: 0 };
      },
    } as unknown as PushService;
    await runRefresh(database.db, pushDuringUpload, { accountId: phone.accountId });
    const left = await database.db.selectFrom('refresh_uploaders').select('device_id').where('account_id', '=', phone.accountId).execute();
    expect(left).toEqual([{ device_id: phone.deviceId }]);
  });
});
