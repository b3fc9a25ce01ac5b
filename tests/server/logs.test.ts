import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { type RunningServer, startServer } from '../../server/server';
import { createAccount, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

let dataDir: string;
let server: RunningServer;
const lines: string[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-logs-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: '' });
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
    const log = lines.join('');
    // The log is really at trace level: every request is in it.
    expect(log).toContain('"url":"/api/devices"');
    expect(log).toContain('/api/sync/batches/');
    expect(log).not.toContain(account.deviceToken);
    expect(log.toLowerCase()).not.toContain('bearer');
  });
});
