import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../server/auth/secrets';
import { openDatabase } from '../../server/db/open';
import type { Database, SyncRecordsTable } from '../../server/db/schema';
import { chunkToBody, sha256 } from '../../server/sync/record-codec';
import { CHUNK_LIMITS, MINUTE_MS, minuteStartOf, type SampleChunk } from '../../src/shared/samples';
import { readArchive } from '../helpers/backup-archive';
import { openDatabaseAt } from '../helpers/database-at';
import { startTestServer, type TestServer } from '../helpers/server';
import { serverReadings } from '../helpers/sync-assertions';
import { createAccount, joinAccount, pull, syntheticSamples, toChunks } from '../helpers/sync-client';

// Runs on SQLite (project `server`) and on Postgres (project `server-postgres`, STEADY_TEST_DB=postgres).
// Minutes an older server stored past today's CHUNK_LIMITS: migration 0010 moves them to
// `quarantined_records`, and a pull or readings page that still meets one moves it there too.

const T0 = minuteStartOf(Date.UTC(2026, 0, 5, 7));
const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.dispose();
});

/** A minute as an older server accepted it: `samples` readings, `intervals` intervals in all. */
function legacyMinute(minuteStart: number, samples: number, intervals: number, sourceId = 'armband-1'): SampleChunk {
  const chunk: SampleChunk = {
    ...toChunks(syntheticSamples(minuteStart, 1), sourceId)[0]!,
    offsets: [],
    bpm: [],
    contact: [],
    intervalCounts: [],
  };
  chunk.intervalsMs = Array.from({ length: intervals }, (_, i) => 400 + (i % 300));
  for (let i = 0; i < samples; i++) {
    chunk.offsets.push(i * Math.floor(MINUTE_MS / samples));
    chunk.bpm.push(70 + (i % 20));
    chunk.contact.push(1);
    // Every interval goes with some sample: the first ones take the remainder.
    chunk.intervalCounts.push(Math.floor(intervals / samples) + (i < intervals % samples ? 1 : 0));
  }
  return chunk;
}

function storedRow(accountId: string, deviceId: string, seq: number, chunk: SampleChunk): SyncRecordsTable {
  const body = chunkToBody(chunk);
  return {
    account_id: accountId,
    kind: 'chunk',
    record_id: chunk.id,
    seq,
    device_id: deviceId,
    t: chunk.minuteStart,
    body,
    body_hash: sha256(body),
    updated_at: new Date(T0 + seq).toISOString(),
  };
}

const tooManySamples = legacyMinute(T0, 900, 900);
const tooManyIntervals = legacyMinute(T0 + MINUTE_MS, 300, 1_500);
/** A source id so long that the migration must read the whole body to find the counts. */
const longSource = legacyMinute(T0 + 3 * MINUTE_MS, 700, 0, 'x'.repeat(400));
const normal = toChunks(syntheticSamples(T0 + 2 * MINUTE_MS, 60))[0]!;

/** The account's quarantined rows, as numbers whichever the dialect. */
async function quarantinedOf(db: Kysely<Database>, accountId: string) {
  const rows = await db.selectFrom('quarantined_records').selectAll().where('account_id', '=', accountId).orderBy('record_id').execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq), t: row.t === null ? null : Number(row.t) }));
}

async function countOf(db: Kysely<Database>, table: 'sync_records' | 'quarantined_records', accountId: string): Promise<number> {
  const row = await db.selectFrom(table).select(db.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function deleteAccount(server: TestServer, token: string): Promise<number> {
  return (await fetch(`${server.url}/api/accounts/me`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status;
}

describe('migration 0010_quarantined_records', () => {
  it('moves minutes past the limits out of sync, intact, so pulls and readings answer 200; deleting the account deletes them', async () => {
    expect(tooManySamples.offsets.length).toBeGreaterThan(CHUNK_LIMITS.samples);
    expect(tooManyIntervals.intervalsMs.length).toBeGreaterThan(CHUNK_LIMITS.intervals);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-test-'));
    const old = await openDatabaseAt(dataDir, '0009_backup_blobs');
    const accountId = randomUUID();
    const [writer, reader] = [randomUUID(), randomUUID()];
    const readerToken = randomBytes(32).toString('base64url');
    const now = new Date().toISOString();
    const rows = [
      storedRow(accountId, writer, 1, tooManySamples),
      storedRow(accountId, writer, 2, tooManyIntervals),
      storedRow(accountId, writer, 3, longSource),
      storedRow(accountId, writer, 4, normal),
    ];
    try {
      await old
        .insertInto('accounts')
        .values({ id: accountId, sync_code_hash: `retired:${accountId}`, created_at: now, last_seq: 4, record_count: 4 })
        .execute();
      for (const [id, token] of [
        [writer, randomBytes(32).toString('base64url')],
        [reader, readerToken],
      ] as const) {
        await old
          .insertInto('devices')
          .values({
            id,
            account_id: accountId,
            name: id,
            token_hash: hashSecret(token),
            created_at: now,
            last_seen_at: null,
            revoked_at: null,
          })
          .execute();
      }
      await old.insertInto('sync_records').values(rows).execute();
    } finally {
      await old.destroy();
    }

    const server = await startTestServer({ dataDir });
    servers.push(server);
    const check = await openDatabase(server.config);
    try {
      // Moved by the migration, before any request met them.
      const quarantined = await quarantinedOf(check.db, accountId);
      expect(quarantined).toEqual([
        { ...rows[0], reason: 'samples: 900 in one minute; at most 600', quarantined_at: expect.any(String) },
        { ...rows[1], reason: 'intervals: 1500 in one minute; at most 1200', quarantined_at: expect.any(String) },
        { ...rows[2], reason: 'samples: 700 in one minute; at most 600', quarantined_at: expect.any(String) },
      ]);
      for (const row of quarantined) expect(Date.parse(row.quarantined_at)).toBeGreaterThanOrEqual(Date.parse(now));
      expect(await countOf(check.db, 'sync_records', accountId)).toBe(1);
      const account = await check.db.selectFrom('accounts').select('record_count').where('id', '=', accountId).executeTakeFirstOrThrow();
      expect(Number(account.record_count)).toBe(1);

      const page = await pull(server.url, readerToken);
      expect(page.chunks.map((c) => c.id)).toEqual([normal.id]);
      expect(page.header.more).toBe(false);
      expect(await serverReadings(server.url, readerToken, T0, T0 + 4 * MINUTE_MS)).toHaveLength(60);
      expect(await countOf(check.db, 'quarantined_records', accountId)).toBe(3);

      expect(await deleteAccount(server, readerToken)).toBe(204);
      expect(await countOf(check.db, 'quarantined_records', accountId)).toBe(0);
      expect(await countOf(check.db, 'sync_records', accountId)).toBe(0);
    } finally {
      await check.close();
    }
  });
});

describe('a minute past the limits written around the server after the migration', () => {
  it('is moved to quarantine by the pull or readings page that meets it, which answers 200', async () => {
    const server = await startTestServer();
    servers.push(server);
    const writer = await createAccount(server.url);
    const reader = await joinAccount(server.url, writer);
    const check = await openDatabase(server.config);
    try {
      const forPull = storedRow(writer.accountId, writer.deviceId, 1, tooManySamples);
      await check.db
        .insertInto('sync_records')
        .values([forPull, storedRow(writer.accountId, writer.deviceId, 2, normal)])
        .execute();
      const page = await pull(server.url, reader.deviceToken);
      expect(page.chunks.map((c) => c.id)).toEqual([normal.id]);
      expect((await quarantinedOf(check.db, writer.accountId)).map((r) => r.body)).toEqual([forPull.body]);

      const forReadings = storedRow(writer.accountId, writer.deviceId, 3, tooManyIntervals);
      await check.db.insertInto('sync_records').values(forReadings).execute();
      expect(await serverReadings(server.url, reader.deviceToken, T0, T0 + 3 * MINUTE_MS)).toHaveLength(60);
      const quarantined = await quarantinedOf(check.db, writer.accountId);
      expect(quarantined.map((r) => [r.body, r.reason])).toEqual([
        [forPull.body, 'samples: 900 in one minute; at most 600'],
        [forReadings.body, 'intervals: 1500 in one minute; at most 1200'],
      ]);
      expect(await countOf(check.db, 'sync_records', writer.accountId)).toBe(1);

      expect(await deleteAccount(server, writer.deviceToken)).toBe(204);
      expect(await countOf(check.db, 'quarantined_records', writer.accountId)).toBe(0);
    } finally {
      await check.close();
    }
  });

  it('is moved to quarantine by an export that meets it, which sends a whole archive without it', async () => {
    const server = await startTestServer();
    servers.push(server);
    const device = await createAccount(server.url);
    const check = await openDatabase(server.config);
    try {
      const oversized = storedRow(device.accountId, device.deviceId, 1, tooManySamples);
      await check.db
        .insertInto('sync_records')
        .values([oversized, storedRow(device.accountId, device.deviceId, 2, normal)])
        .execute();
      const answer = await fetch(`${server.url}/api/backups/export`, { headers: { authorization: `Bearer ${device.deviceToken}` } });
      expect(answer.status).toBe(200);
      const archive = readArchive(Buffer.from(await answer.arrayBuffer()));
      expect(archive.counts).toEqual({ chunks: 1, gaps: 0, docs: 0 });
      expect(archive.records.map((r) => r.data.id)).toEqual([normal.id]);
      expect((await quarantinedOf(check.db, device.accountId)).map((r) => [r.body, r.reason])).toEqual([
        [oversized.body, 'samples: 900 in one minute; at most 600'],
      ]);
    } finally {
      await check.close();
    }
  });
});
