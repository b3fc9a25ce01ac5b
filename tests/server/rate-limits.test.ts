import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import type { ApiErrorBody } from '../../src/shared/api';
import { SYNC_MEDIA_TYPE } from '../../src/shared/sync/protocol';
import { buildArchive, storeBackup } from '../helpers/backup-archive';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, makePairingCode, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

const servers: TestServer[] = [];
afterEach(async () => {
  // Second instances share the first one's DATA_DIR: close them before it is removed.
  for (const server of servers.splice(0).reverse()) await server.dispose();
});

async function start(env: Record<string, string>, dataDir?: string): Promise<TestServer> {
  const server = await startTestServer({ env, ...(dataDir ? { dataDir } : {}) });
  servers.push(server);
  return server;
}

function postAccount(server: TestServer): Promise<Response> {
  return fetch(`${server.url}/api/accounts`, { method: 'POST' });
}

async function expectLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
  const body = (await response.json()) as ApiErrorBody;
  expect(body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', error: 'Too Many Requests' });
  expect(body.message).toMatch(/try again in \d+ seconds?/);
}

const post = (url: string, path: string, token: string) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

const oneMinute = (start: number) => ({ header: {}, chunks: toChunks(syntheticSamples(start, 30)), docs: [] });

describe('rate limits', () => {
  it('limits anonymous account creation per address, and the rest of the API keeps answering', async () => {
    const server = await start({ RATE_LIMIT_ACCOUNT_CREATION: '3/3600' });
    for (let i = 0; i < 3; i++) expect((await postAccount(server)).status).toBe(201);
    await expectLimited(await postAccount(server));
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('limits sync uploads per account, not per server: other accounts are unaffected', async () => {
    const server = await start({ RATE_LIMIT_SYNC_UPLOADS: '2/60' });
    const busy = await createAccount(server.url);
    const other = await createAccount(server.url);
    const t0 = Date.UTC(2026, 10, 1, 8);
    expect((await uploadBatch(server.url, busy.deviceToken, oneMinute(t0))).status).toBe(201);
    expect((await uploadBatch(server.url, busy.deviceToken, oneMinute(t0 + 60_000))).status).toBe(201);
    const third = await fetch(`${server.url}/api/sync/batches/${crypto.randomUUID()}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${busy.deviceToken}`, 'content-type': SYNC_MEDIA_TYPE },
      body: new Uint8Array([1]),
    });
    await expectLimited(third);
    expect((await uploadBatch(server.url, other.deviceToken, oneMinute(t0))).status).toBe(201);
  });

  it('counts an account against one limit across several instances on one database', async () => {
    const env = { RATE_LIMIT_SYNC_UPLOADS: '3/60' };
    const first = await start(env);
    const second = await start(env, first.dataDir);
    const account = await createAccount(first.url);
    const t0 = Date.UTC(2026, 10, 2, 8);
    expect((await uploadBatch(first.url, account.deviceToken, oneMinute(t0))).status).toBe(201);
    expect((await uploadBatch(second.url, account.deviceToken, oneMinute(t0 + 60_000))).status).toBe(201);
    expect((await uploadBatch(first.url, account.deviceToken, oneMinute(t0 + 120_000))).status).toBe(201);
    const fourth = await uploadBatch(second.url, account.deviceToken, oneMinute(t0 + 180_000));
    expect(fourth.status).toBe(429);
    expect(fourth.body).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('limits joining per address: guesses at pairing codes stop there, other addresses still join', async () => {
    // Behind one proxy, X-Forwarded-For names the caller, so two callers can be told apart from 127.0.0.1.
    const server = await start({ RATE_LIMIT_DEVICE_JOIN: '3/3600', TRUST_PROXY: '1' });
    const owner = await createAccount(server.url);
    const { code } = await makePairingCode(server.url, owner.deviceToken);
    const join = (from: string, pairingCode: string) =>
      fetch(`${server.url}/api/devices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify({ pairingCode, name: 'guess' }),
      });
    const wrong = `${code.slice(0, 5)}${code.slice(5).replace(/[0-9A-Z]/g, (c) => (c === '0' ? '1' : '0'))}`;
    for (let i = 0; i < 3; i++) expect((await join('203.0.113.7', wrong)).status).toBe(404);
    // The right code from the guessing address is refused too: the limit is on the address, not the guess.
    await expectLimited(await join('203.0.113.7', code));
    expect((await join('198.51.100.2', code)).status).toBe(201);
  });

  it.each([
    ['pairing codes', 'RATE_LIMIT_PAIRING_CODES', (url: string, token: string) => post(url, '/api/pairing-codes', token)],
    ['server-side exports', 'RATE_LIMIT_EXPORTS', (url: string, token: string) => post(url, '/api/backups/export', token)],
    [
      'backup uploads',
      'RATE_LIMIT_BACKUP_UPLOADS',
      (url: string, token: string) =>
        storeBackup(url, token, buildArchive(toChunks(syntheticSamples(Date.UTC(2026, 10, 4, 8), 5))), randomUUID()),
    ],
  ] as const)('limits %s per account: other accounts are unaffected', async (_what, variable, send) => {
    const server = await start({ [variable]: '2/3600', MAX_PAIRING_CODES_PER_ACCOUNT: '10' });
    const busy = await createAccount(server.url);
    const other = await createAccount(server.url);
    for (let i = 0; i < 2; i++) expect((await send(server.url, busy.deviceToken)).status).toBe(201);
    await expectLimited(await send(server.url, busy.deviceToken));
    expect((await send(server.url, other.deviceToken)).status).toBe(201);
  });

  it('guards every route against a flood from one address, static files and unknown paths included', async () => {
    const server = await start({ RATE_LIMIT_PER_IP: '5/60' });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await fetch(`${server.url}/api/health`)).status);
    expect(answers).toEqual([200, 200, 200, 200, 200]);
    await expectLimited(await fetch(`${server.url}/api/nothing-here`));
  });

  it('refuses a limit it cannot read, naming the variable', () => {
    for (const raw of ['10', '0/60', 'ten/60', '10/0', '10/60/2'])
      expect(() => loadConfig({ RATE_LIMIT_SYNC_UPLOADS: raw })).toThrow(/^RATE_LIMIT_SYNC_UPLOADS: expected COUNT\/SECONDS/);
    expect(loadConfig({ RATE_LIMIT_EXPORTS: '5/86400' }).rateLimits.exports).toEqual({ max: 5, windowMs: 86_400_000 });
  });
});
