import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open';
import { writeServerDoc } from '../../server/sync/server-docs';
import type { ListDevicesResponse } from '../../src/shared/api';
import { openDatabaseAt } from '../helpers/database-at';
import { startTestServer, type TestServer } from '../helpers/server';
import { joinAccount, pull } from '../helpers/sync-client';

// Runs on SQLite (project `server`) and on Postgres (project `server-postgres`, STEADY_TEST_DB=postgres).
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let server: TestServer | undefined;
afterAll(async () => {
  await server?.dispose();
});

describe('migration 0005_pairing_codes', () => {
  it('keeps an 0004 account’s devices, records and tokens working, and forgets its sync code', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-test-'));
    const old = await openDatabaseAt(dataDir, '0004_backups');
    const accountId = randomUUID();
    const deviceIds = [randomUUID(), randomUUID()];
    const tokens = deviceIds.map(() => randomBytes(32).toString('base64url'));
    const syncCode = 'ABCD-EFGH-JKMN';
    const now = new Date().toISOString();
    await old
      .insertInto('accounts')
      .values({ id: accountId, sync_code_hash: sha256(syncCode), created_at: now })
      .execute();
    for (const [i, id] of deviceIds.entries()) {
      await old
        .insertInto('devices')
        .values({
          id,
          account_id: accountId,
          name: `device ${i}`,
          token_hash: sha256(tokens[i]!),
          created_at: now,
          last_seen_at: now,
          revoked_at: null,
        })
        .execute();
    }
    await writeServerDoc(old, accountId, 'message', 'before-the-upgrade', { text: 'kept', from: 'Steady', createdAt: now });
    await old.destroy();

    server = await startTestServer({ dataDir });
    const check = await openDatabase(server.config);
    try {
      const account = await check.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
      expect(account.sync_code_hash).not.toBe(sha256(syncCode));
      expect(account.sync_code_hash).toBe(`retired:${accountId}`);
    } finally {
      await check.close();
    }
    // Both old tokens still authenticate and see both devices …
    for (const token of tokens) {
      const response = await fetch(`${server.url}/api/devices`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as ListDevicesResponse).devices.map((d) => d.id).sort()).toEqual([...deviceIds].sort());
    }
    // … the record written before the upgrade still syncs …
    const page = await pull(server.url, tokens[1]!);
    expect(page.docs).toEqual([expect.objectContaining({ kind: 'message', id: 'before-the-upgrade' })]);
    // … the old sync code joins nothing, and a pairing code from an old device does.
    const refused = await fetch(`${server.url}/api/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ syncCode, name: 'late' }),
    });
    expect(refused.status).toBe(400);
    const joined = await joinAccount(server.url, { deviceToken: tokens[0]! }, 'new tablet');
    expect(joined.accountId).toBe(accountId);
  });
});
