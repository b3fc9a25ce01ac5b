import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/open';
import { type RunningServer, startServer } from '../../server/server';
import { chunkToBody, sha256 } from '../../server/sync/record-codec';
import type { JoinAccountResponse } from '../../src/shared/api';
import { createAccount, joinAccount, makePairingCode, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

let dataDir: string;
let server: RunningServer;
let config: ReturnType<typeof loadConfig>;
const lines: string[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-logs-'));
  config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: '' });
  server = await startServer(config, { level: 'trace', stream: { write: (line) => lines.push(line) } });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the server log', () => {
  it('holds nothing a reader could use to act as a user, at the most verbose level', async () => {
    const account = await createAccount(server.url);
    const authorization = `Bearer ${account.deviceToken}`;
    expect((await fetch(`${server.url}/api/devices`, { headers: { authorization } })).status).toBe(200);
    const chunks = toChunks(syntheticSamples(Date.UTC(2026, 10, 3, 7), 20));
    expect((await uploadBatch(server.url, account.deviceToken, { header: {}, chunks, docs: [] })).status).toBe(201);
    // A request that fails on the server's side is logged with its error: still no token.
    await fetch(`${server.url}/api/devices`, { headers: { authorization: `${authorization}x` } });
    // Pairing: the code a device shows, a join with it, and a body that is not JSON around a code.
    const { code } = await makePairingCode(server.url, account.deviceToken);
    const spare = await makePairingCode(server.url, account.deviceToken);
    const join = (body: string) =>
      fetch(`${server.url}/api/devices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const joined = (await (await join(JSON.stringify({ pairingCode: code, name: 'tablet' }))).json()) as JoinAccountResponse;
    expect(joined.deviceToken).toBeTruthy();
    expect((await join(`{"pairingCode":"${spare.code}",`)).status).toBe(400);
    expect((await join(JSON.stringify({ pairingCode: spare.code }))).status).toBe(400);
    const log = lines.join('');
    // The log is really at trace level: every request is in it.
    expect(log).toContain('"url":"/api/devices"');
    expect(log).toContain('/api/sync/batches/');
    expect(log).toContain('"url":"/api/pairing-codes"');
    for (const secret of [account.deviceToken, joined.deviceToken]) expect(log).not.toContain(secret);
    // A pairing code in any spelling, or just its secret part (the 12 characters after the lookup id).
    for (const pairing of [code, spare.code]) {
      const compact = pairing.replace(/-/g, '');
      for (const piece of [pairing, compact, compact.slice(4)]) expect(log.toUpperCase()).not.toContain(piece);
    }
    expect(log.toLowerCase()).not.toContain('bearer');
  });

  it('says by account id alone when a pull moves a minute past the chunk limits to quarantine', async () => {
    const account = await createAccount(server.url);
    const reader = await joinAccount(server.url, account);
    const database = await openDatabase(config);
    try {
      const minute = toChunks(syntheticSamples(Date.UTC(2026, 10, 4, 7), 1))[0]!;
      // 700 samples: more than the 600 a minute may hold, as an older server stored them.
      const body = chunkToBody({
        ...minute,
        offsets: Array.from({ length: 700 }, (_, i) => i * 80),
        bpm: Array.from({ length: 700 }, () => 70),
        contact: Array.from({ length: 700 }, () => 1),
        intervalCounts: Array.from({ length: 700 }, () => 0),
        intervalsMs: [],
      });
      const values = { kind: 'chunk', record_id: minute.id, seq: 1, device_id: account.deviceId, t: minute.minuteStart };
      await database.db
        .insertInto('sync_records')
        .values({ ...values, account_id: account.accountId, body, body_hash: sha256(body), updated_at: new Date().toISOString() })
        .execute();
    } finally {
      await database.close();
    }
    const from = lines.length;
    const response = await fetch(`${server.url}/api/sync/changes`, { headers: { authorization: `Bearer ${reader.deviceToken}` } });
    expect(response.status).toBe(200);
    const warnings = lines
      .slice(from)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.level === 40);
    expect(warnings).toEqual([expect.objectContaining({ accountId: account.accountId, quarantined: 1 })]);
    const log = lines.slice(from).join('');
    for (const secret of [account.deviceToken, reader.deviceToken]) expect(log).not.toContain(secret);
  });
});
