import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthResponse, JoinAccountResponse, ListDevicesResponse } from '../../src/shared/api';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, makePairingCode } from '../helpers/sync-client';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

describe('GET /api/health', () => {
  // With the database down: tests/server/hostile-backups.test.ts.
  it('answers ok and nothing else: strangers learn no version, dialect or error', async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()) as HealthResponse).toEqual({ status: 'ok' });
  });
});

describe('restart', () => {
  it('keeps accounts: the token still authenticates and a pairing code made before still joins', async () => {
    const first = await startTestServer();
    const created = await createAccount(first.url, 'before restart');
    const { code } = await makePairingCode(first.url, created.deviceToken);
    // On another port: fetch's pool may still hold a keep-alive socket to the stopped server's port.
    await first.close();
    server = await startTestServer({ dataDir: first.dataDir });
    expect(server.url).not.toBe(first.url);

    const devices = await fetch(`${server.url}/api/devices`, { headers: { authorization: `Bearer ${created.deviceToken}` } });
    expect(devices.status).toBe(200);
    expect(((await devices.json()) as ListDevicesResponse).devices).toMatchObject([
      { id: created.deviceId, name: 'before restart', current: true },
    ]);

    const join = await fetch(`${server.url}/api/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode: code, name: 'after restart' }),
    });
    expect(join.status).toBe(201);
    expect(((await join.json()) as JoinAccountResponse).accountId).toBe(created.accountId);
  });
});

describe('a failed start', () => {
  it('reports a taken port and closes the database it opened', async () => {
    server = await startTestServer();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-taken-'));
    try {
      await expect(startTestServer({ dataDir, port: Number(new URL(server.url).port) })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      // SQLite removes the WAL files when the last connection closes; left behind, they show a leaked handle.
      expect(fs.readdirSync(dataDir).filter((name) => name.startsWith('steady.sqlite'))).toEqual(['steady.sqlite']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
