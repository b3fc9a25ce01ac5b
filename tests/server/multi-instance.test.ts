import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { parsePushTickle } from '../../src/shared/push-tickle';
import { chunkId } from '../../src/shared/samples';
import type { SyncBatch } from '../../src/shared/sync/batch-codec';
import {
  enrollFleet,
  Instances,
  pullEverything,
  recordings,
  type SimulatedDevice,
  subscribeFleet,
  uploadWithFailover,
} from '../helpers/device-fleet';
import { LocalPushService } from '../helpers/push-service';
import { freshPostgresSchema, ServerProcess, withPostgres } from '../helpers/server-process';

/**
 * Three instances on one Postgres, each its own process and port (issue 12): simulated devices
 * upload and pull through all of them at once while one is killed with SIGKILL and started
 * again. Nothing may be lost or doubled, and the pushes the instances share — the refresh after
 * an account's uploads, the nudge to a device gone quiet — go out once, not once per instance.
 * Needs the machine's Postgres: freshPostgresSchema fails loudly when it is down.
 */

const ACCOUNTS = 6;
const DEVICES_PER_ACCOUNT = 3;
const BATCHES = 6;
const MINUTES_PER_BATCH = 10;
/**
 * The refresh goes out this long after an account's first upload of a burst (server/jobs/
 * refresh-job.ts): long enough that each account's uploads, the killed instance and the
 * failovers included, fall in one window even on a busy machine.
 */
const DEBOUNCE_MS = 15_000;
const JOB_POLL_MS = 200;
const STALE_CHECK_MS = 200;
const START = Date.UTC(2026, 10, 20, 6);

let pushService: LocalPushService;
let servers: ServerProcess[] = [];
let schemaName = '';
let dropSchema: (() => Promise<void>) | undefined;
let instances: Instances;
let fleet: SimulatedDevice[];
const uploaded = new Map<SimulatedDevice, SyncBatch[]>();
/** When each account's first upload was sent and its last answered: the server saw its burst within these. */
const bursts = new Map<string, { first: number; last: number }>();

beforeAll(async () => {
  const { url, schema, drop } = await freshPostgresSchema('t_multi');
  schemaName = schema;
  dropSchema = drop;
  pushService = await LocalPushService.start();
  // One VAPID key for every instance: a subscription is made for the key, whichever instance pushes.
  const vapid = webpush.generateVAPIDKeys();
  const env = {
    DATABASE_URL: url,
    DATABASE_SCHEMA: schema,
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    PUSH_ALLOWED_HOSTS: pushService.host,
    PUSH_EXTRA_CA_FILE: pushService.caFile,
    PUSH_DEBOUNCE_MS: String(DEBOUNCE_MS),
    STALE_CHECK_INTERVAL_MS: String(STALE_CHECK_MS),
    STALE_SYNC_HOURS: '20',
    JOB_POLL_MS: String(JOB_POLL_MS),
  };
  // Started together on the empty schema: the migration lock lets them all come up.
  servers = await Promise.all([1, 2, 3].map((n) => ServerProcess.start({ env, name: `instance ${n}` })));
  instances = new Instances(servers.map((server) => server.url));
  fleet = await enrollFleet(instances, ACCOUNTS, DEVICES_PER_ACCOUNT);
  await subscribeFleet(instances, fleet, pushService);
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.dispose()));
  await pushService?.close();
  await dropSchema?.();
});

const pushesOf = (device: SimulatedDevice, type: string) =>
  pushService.received(device.subscription?.endpoint ?? '').filter((r) => parsePushTickle(r.payload)?.type === type);
const accountOf = (device: SimulatedDevice) => fleet.filter((d) => d.accountId === device.accountId);

describe('three instances on one Postgres', () => {
  it('store every upload exactly once while one is killed and restarted, and every device pulls every other device’s records', {
    timeout: 120_000,
  }, async () => {
    for (const device of fleet) uploaded.set(device, recordings(device, START, BATCHES, MINUTES_PER_BATCH));
    const total = fleet.length * BATCHES;
    let done = 0;
    let restarted: Promise<void> | undefined;
    const victim = servers[1] as ServerProcess;

    // Every device uploads its batches one after another, each batch to the next instance in turn;
    // a third of the way through, instance 2 dies mid-request and is started again.
    await Promise.all(
      fleet.map(async (device) => {
        for (const [b, batch] of (uploaded.get(device) ?? []).entries()) {
          const burst = bursts.get(device.accountId) ?? { first: Date.now(), last: 0 };
          bursts.set(device.accountId, burst);
          const answer = await uploadWithFailover(instances, device.index + b, device.deviceToken, batch);
          burst.last = Date.now();
          expect(answer.body).toMatchObject({ records: batch.chunks.length + batch.docs.length });
          if (++done === Math.floor(total / 3)) restarted = victim.kill().then(() => victim.restart());
        }
      }),
    );
    await restarted;
    // The kill interrupted the traffic: requests met the dead instance and went to another.
    expect(instances.failovers).toBeGreaterThan(0);
    expect(victim.output.join('\n')).not.toMatch(/"level":[56]0/);

    // In the database: each record once, each with a position of its own in its account's order.
    const perBatch = MINUTES_PER_BATCH + 1;
    const counts = await withPostgres(async (client) => {
      const result = await client.query<{ account_id: string; records: string; positions: string }>(
        `select account_id, count(*) as records, count(distinct seq) as positions from "${schemaName}".sync_records group by account_id`,
      );
      return Object.fromEntries(result.rows.map((row) => [row.account_id, [Number(row.records), Number(row.positions)]]));
    });
    const expected = DEVICES_PER_ACCOUNT * BATCHES * perBatch;
    expect(counts).toEqual(Object.fromEntries(fleet.map((device) => [device.accountId, [expected, expected]])));

    // Every device, pulling through an instance it did not start on, gets exactly every other
    // device's records of its account, with the samples they were uploaded with.
    await Promise.all(
      fleet.map(async (device) => {
        const pulled = await instances.call(device.index + 2, (url) => pullEverything(url, device.deviceToken));
        const others = accountOf(device).filter((d) => d !== device);
        const sent = others.flatMap((d) => uploaded.get(d) ?? []);
        const byId = (chunks: SyncBatch['chunks']) =>
          Object.fromEntries(chunks.map((c) => [chunkId(c.sourceId, c.minuteStart), [c.offsets, c.bpm, c.intervalsMs]]));
        expect(pulled.chunks).toHaveLength(sent.flatMap((b) => b.chunks).length);
        expect(byId(pulled.chunks)).toEqual(byId(sent.flatMap((b) => b.chunks)));
        expect(pulled.docs.map((doc) => doc.id).sort()).toEqual(sent.flatMap((b) => b.docs.map((doc) => doc.id)).sort());
      }),
    );
  });

  it('send each account’s refresh once for the burst, from whichever instance, the killed one’s included', {
    timeout: 90_000,
  }, async () => {
    // The premise: each account's uploads fit in one refresh window, so one refresh is right.
    for (const { first, last } of bursts.values()) expect(last - first).toBeLessThan(DEBOUNCE_MS);
    // Every device of an account uploaded, so each hears of the others' data: one refresh each.
    await pushService.waitFor(() => fleet.every((device) => pushesOf(device, 'refresh').length > 0), DEBOUNCE_MS + 20_000);
    // Any other refresh job was queued by an upload, the last of which was answered at `lastUpload`:
    // it would be due a window later, and run within a few polls of that.
    const lastUpload = Math.max(...[...bursts.values()].map((burst) => burst.last));
    const quietUntil = lastUpload + DEBOUNCE_MS + 10 * JOB_POLL_MS + 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, quietUntil - Date.now())));
    expect(Object.fromEntries(fleet.map((device) => [device.deviceId, pushesOf(device, 'refresh').length]))).toEqual(
      Object.fromEntries(fleet.map((device) => [device.deviceId, 1])),
    );
  });

  it('nudge each device gone quiet with one sync push, though every instance looks for them', { timeout: 60_000 }, async () => {
    const quiet = fleet.filter((device) => device.index % DEVICES_PER_ACCOUNT === 1);
    const longAgo = new Date(Date.now() - 21 * 3600_000).toISOString();
    await withPostgres((client) =>
      client.query(`update "${schemaName}".devices set last_seen_at = $1 where id = any($2)`, [
        longAgo,
        quiet.map((device) => device.deviceId),
      ]),
    );
    await pushService.waitFor(() => quiet.every((device) => pushesOf(device, 'sync').length > 0), 20_000);
    // Ten more checks by each instance.
    await new Promise((resolve) => setTimeout(resolve, 10 * STALE_CHECK_MS));
    expect(Object.fromEntries(fleet.map((device) => [device.deviceId, pushesOf(device, 'sync').length]))).toEqual(
      Object.fromEntries(fleet.map((device) => [device.deviceId, quiet.includes(device) ? 1 : 0])),
    );
  });
});
