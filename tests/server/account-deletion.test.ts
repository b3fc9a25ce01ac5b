import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../server/db/open';
import type { Database } from '../../server/db/schema';
import { writeServerDoc } from '../../server/sync/server-docs';
import type { CreateAccountResponse } from '../../src/shared/api';
import { BACKUP_ID_HEADER, BACKUP_MEDIA_TYPE, SHA256_HEADER } from '../../src/shared/backup';
import { buildArchive } from '../helpers/backup-archive';
import { backupStorage } from '../helpers/backup-storage';
import { TusTestClient } from '../helpers/backup-tus';
import { fakePushSubscription } from '../helpers/push-rows';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, joinAccount, makePairingCode, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

// Runs on SQLite (project `server`) and on Postgres (project `server-postgres`, STEADY_TEST_DB=postgres).
let server: TestServer;
let database: OpenDatabase;
let db: Kysely<Database>;

beforeAll(async () => {
  server = await startTestServer();
  // A second connection to the server's own database (either dialect) to look at the rows.
  database = await openDatabase(server.config);
  db = database.db;
});
afterAll(async () => {
  await database?.close();
  await server?.dispose();
});

interface Account extends CreateAccountResponse {
  second: { deviceId: string; deviceToken: string };
  backupId: string;
  /** A pairing code made and not used yet. */
  waitingCode: string;
}

/** An account with two devices and something in every table the deletion must empty. */
async function populatedAccount(): Promise<Account> {
  const first = await createAccount(server.url, 'phone');
  const second = await joinAccount(server.url, first, 'tablet');
  const chunks = toChunks(syntheticSamples(Date.UTC(2026, 10, 20, 7), 180), 'armband-1');
  const docs = [{ kind: 'checkin' as const, id: '2026-11-20-morning', body: { date: '2026-11-20', period: 'morning', savedAt: 1 } }];
  expect((await uploadBatch(server.url, first.deviceToken, { header: {}, chunks, docs })).status).toBe(201);
  expect((await uploadBatch(server.url, second.deviceToken, { header: {}, chunks: [], docs: [] })).status).toBe(201);

  const archive = buildArchive(chunks);
  const backupId = randomUUID();
  const posted = await fetch(`${server.url}/api/backups`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${first.deviceToken}`,
      'content-type': BACKUP_MEDIA_TYPE,
      [SHA256_HEADER]: archive.sha256,
      [BACKUP_ID_HEADER]: backupId,
    },
    body: new Uint8Array(archive.bytes),
  });
  expect(posted.status).toBe(201);
  // An unfinished tus upload: the first bytes of an archive.
  const tus = new TusTestClient(server.url, first.deviceToken);
  expect((await tus.create(archive.bytes.length, { backupId: randomUUID(), sha256: archive.sha256 })).status).toBe(201);
  expect((await tus.patch(0, archive.bytes.subarray(0, 10))).status).toBe(204);

  const now = new Date().toISOString();
  for (const device of [first.deviceId, second.deviceId]) {
    await db
      .insertInto('push_subscriptions')
      .values(fakePushSubscription(device, first.accountId, now))
      .execute();
    await db.insertInto('push_state').values({ device_id: device, stale_sync_at: now }).execute();
  }
  await db
    .insertInto('push_sends')
    .values({
      id: randomUUID(),
      account_id: first.accountId,
      device_id: first.deviceId,
      type: 'sync',
      status: 'sent',
      http_status: 201,
      attempts: 1,
      error: null,
      created_at: now,
      finished_at: now,
    })
    .execute();
  const messageId = randomUUID();
  await db
    .insertInto('messages')
    .values({ id: messageId, account_id: first.accountId, text: 'hello', created_at: now, read_at: null })
    .execute();
  await writeServerDoc(db, first.accountId, 'message', messageId, { text: 'hello', from: 'Steady', createdAt: now });
  const { code: waitingCode } = await makePairingCode(server.url, first.deviceToken);
  return { ...first, second, backupId, waitingCode };
}

/** Rows of the account in every table, by table. */
async function rowsOf(accountId: string): Promise<Record<string, number>> {
  const count = async (
    table:
      | 'accounts'
      | 'devices'
      | 'pairing_codes'
      | 'sync_records'
      | 'sync_batches'
      | 'backups'
      | 'push_subscriptions'
      | 'push_sends'
      | 'messages',
    column: 'id' | 'account_id',
  ) => Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).where(column, '=', accountId).executeTakeFirstOrThrow()).n);
  const devices = db.selectFrom('devices').select('id').where('account_id', '=', accountId);
  return {
    accounts: await count('accounts', 'id'),
    devices: await count('devices', 'account_id'),
    pairing_codes: await count('pairing_codes', 'account_id'),
    sync_records: await count('sync_records', 'account_id'),
    sync_batches: await count('sync_batches', 'account_id'),
    backups: await count('backups', 'account_id'),
    push_subscriptions: await count('push_subscriptions', 'account_id'),
    push_sends: await count('push_sends', 'account_id'),
    messages: await count('messages', 'account_id'),
    push_state: Number(
      (await db.selectFrom('push_state').select(db.fn.countAll().as('n')).where('device_id', 'in', devices).executeTakeFirstOrThrow()).n,
    ),
  };
}

/** The account's tus uploads, and whether its archive is stored (disk or Postgres: tests/helpers/backup-storage.ts). */
const tusUploadsOf = (accountId: string) => backupStorage(server).tusUploads(accountId);
const archiveStored = async (accountId: string, backupId: string) =>
  (await backupStorage(server).archive(accountId, backupId)) !== undefined;

const deleteAccount = (token?: string) =>
  fetch(`${server.url}/api/accounts/me`, { method: 'DELETE', headers: token ? { authorization: `Bearer ${token}` } : {} });
const listDevices = (token: string) => fetch(`${server.url}/api/devices`, { headers: { authorization: `Bearer ${token}` } });

describe('DELETE /api/accounts/me', () => {
  it('needs a live device token', async () => {
    expect((await deleteAccount()).status).toBe(401);
    expect((await deleteAccount('A'.repeat(43))).status).toBe(401);
  });

  it("removes every row and file of the caller's account, and nothing of another account", async () => {
    const doomed = await populatedAccount();
    const bystander = await populatedAccount();
    // 180 one-second samples from 07:00 fill 3 minute chunks; with a check-in and a message document, 5 sync records.
    const full = {
      accounts: 1,
      devices: 2,
      pairing_codes: 2, // the one the second device joined with, and one waiting
      sync_records: 5,
      sync_batches: 2,
      backups: 1,
      push_subscriptions: 2,
      push_sends: 1,
      messages: 1,
      push_state: 2,
    };
    expect(await rowsOf(doomed.accountId)).toEqual(full);
    expect(await archiveStored(doomed.accountId, doomed.backupId)).toBe(true);
    expect(await tusUploadsOf(doomed.accountId)).toHaveLength(1);

    const answer = await deleteAccount(doomed.second.deviceToken); // any device of the account may
    expect(answer.status).toBe(204);
    expect(await answer.text()).toBe('');

    const none = Object.fromEntries(Object.keys(full).map((table) => [table, 0]));
    expect(await rowsOf(doomed.accountId)).toEqual(none);
    expect(await archiveStored(doomed.accountId, doomed.backupId)).toBe(false);
    expect(await backupStorage(server).accountFiles(doomed.accountId)).toEqual([]);
    expect(await tusUploadsOf(doomed.accountId)).toEqual([]);
    for (const token of [doomed.deviceToken, doomed.second.deviceToken]) {
      const refused = await listDevices(token);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { message: string }).message).toBe('unknown device token');
    }
    // A pairing code made before no longer joins anything.
    const join = await fetch(`${server.url}/api/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode: doomed.waitingCode, name: 'late' }),
    });
    expect(join.status).toBe(404);
    expect((await deleteAccount(doomed.deviceToken)).status).toBe(401);

    expect(await rowsOf(bystander.accountId)).toEqual(full);
    expect(await archiveStored(bystander.accountId, bystander.backupId)).toBe(true);
    expect(await tusUploadsOf(bystander.accountId)).toHaveLength(1);
    expect((await listDevices(bystander.deviceToken)).status).toBe(200);
  });

  it('refuses a revoked device, leaving the account whole', async () => {
    const account = await populatedAccount();
    const revoked = await fetch(`${server.url}/api/devices/${account.second.deviceId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${account.deviceToken}` },
    });
    expect(revoked.status).toBe(204);
    expect((await deleteAccount(account.second.deviceToken)).status).toBe(401);
    expect((await rowsOf(account.accountId)).accounts).toBe(1);
    expect((await rowsOf(account.accountId)).sync_records).toBe(5);
  });

  it('deletes nothing when the transaction fails half-way (all rows and files stay)', async () => {
    const account = await populatedAccount();
    const before = await rowsOf(account.accountId);
    await failAccountDeletes(account.accountId);
    try {
      const answer = await deleteAccount(account.deviceToken);
      expect(answer.status).toBe(500);
    } finally {
      await allowAccountDeletes();
    }
    expect(await rowsOf(account.accountId)).toEqual(before);
    expect(await archiveStored(account.accountId, account.backupId)).toBe(true);
    expect(await tusUploadsOf(account.accountId)).toHaveLength(1);
    // And it works once the fault is gone.
    expect((await deleteAccount(account.deviceToken)).status).toBe(204);
    expect((await rowsOf(account.accountId)).accounts).toBe(0);
  });
});

/** Makes deleting this account's row fail inside the database, after the other tables were emptied. */
async function failAccountDeletes(accountId: string): Promise<void> {
  if (database.dialect === 'sqlite') {
    await sql
      .raw(
        `create trigger refuse_delete before delete on accounts when old.id = '${accountId}' begin select raise(abort, 'refused by test'); end`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create function refuse_delete() returns trigger language plpgsql as $$ begin if old.id = '${accountId}' then raise exception 'refused by test'; end if; return old; end $$`,
      )
      .execute(db);
    await sql.raw('create trigger refuse_delete before delete on accounts for each row execute function refuse_delete()').execute(db);
  }
}

async function allowAccountDeletes(): Promise<void> {
  if (database.dialect === 'sqlite') {
    await sql.raw('drop trigger refuse_delete').execute(db);
  } else {
    await sql.raw('drop trigger refuse_delete on accounts').execute(db);
    await sql.raw('drop function refuse_delete()').execute(db);
  }
}
