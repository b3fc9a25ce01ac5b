import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, CreateAccountResponse, JoinAccountResponse, ListDevicesResponse } from '../../src/shared/api';
import { SYNC_CODE_PATTERN } from '../../src/shared/api';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, joinAccount } from '../helpers/sync-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function listDevices(authorization?: string): Promise<Response> {
  return fetch(`${server.url}/api/devices`, { headers: authorization === undefined ? {} : { authorization } });
}

function revoke(token: string, deviceId: string): Promise<Response> {
  return fetch(`${server.url}/api/devices/${deviceId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
}

async function expectUnauthorized(response: Response, message: string): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer realm="steady"');
  expect(await response.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED', message });
}

describe('POST /api/accounts', () => {
  it('creates an account with a 256-bit device token and a typeable sync code', async () => {
    const response = await post('/api/accounts', { name: 'Pixel 8' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as CreateAccountResponse;
    expect(Object.keys(body).sort()).toEqual(['accountId', 'deviceId', 'deviceToken', 'syncCode']);
    expect(body.accountId).toMatch(UUID);
    expect(body.deviceId).toMatch(UUID);
    expect(body.deviceToken).toMatch(TOKEN);
    expect(Buffer.from(body.deviceToken, 'base64url')).toHaveLength(32);
    expect(body.syncCode).toMatch(new RegExp(SYNC_CODE_PATTERN));
    expect(body.syncCode).toMatch(/^.{4}-.{4}-.{4}$/);

    const devices = await listDevices(`Bearer ${body.deviceToken}`);
    expect(((await devices.json()) as ListDevicesResponse).devices).toMatchObject([{ id: body.deviceId, name: 'Pixel 8', current: true }]);
  });

  it('creates an account from a bare POST, naming the device "First device"', async () => {
    const response = await fetch(`${server.url}/api/accounts`, { method: 'POST' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as CreateAccountResponse;
    const devices = (await (await listDevices(`Bearer ${body.deviceToken}`)).json()) as ListDevicesResponse;
    expect(devices.devices).toMatchObject([{ id: body.deviceId, name: 'First device' }]);
  });

  it.each([['null'], ['[]'], ['{"name":""}'], ['{"name":"phone","admin":true}']])('answers 400 for the body %s', async (body) => {
    const response = await fetch(`${server.url}/api/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ApiErrorBody).code).toBe('VALIDATION');
  });

  it('gives every account its own token and sync code', async () => {
    const [a, b] = await Promise.all([createAccount(server.url), createAccount(server.url)]);
    expect(a.accountId).not.toBe(b.accountId);
    expect(a.deviceToken).not.toBe(b.deviceToken);
    expect(a.syncCode).not.toBe(b.syncCode);
  });

  it('stores only hashes of the token and the sync code', async () => {
    const created = await createAccount(server.url, 'hash check');
    const file = new SQLite(path.join(server.dataDir, 'steady.sqlite'), { readonly: true });
    try {
      const tables = file.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
      expect(tables).toEqual(expect.arrayContaining(['accounts', 'devices']));
      const values = tables
        .flatMap((table) => file.prepare(`select * from "${table}"`).all() as Record<string, unknown>[])
        .flatMap(Object.values);
      const text = values.map(String);
      // The rows are there (so the search below searched something) …
      expect(text).toContain(created.accountId);
      expect(text).toContain(created.deviceId);
      // … but neither secret is, in any form a person could type back.
      const secrets = [created.deviceToken, created.syncCode, created.syncCode.replace(/-/g, '')];
      for (const value of text) {
        for (const secret of secrets) expect(value).not.toContain(secret);
      }
    } finally {
      file.close();
    }
  });
});

describe('POST /api/devices', () => {
  it('joins the account of the sync code with a new device and token', async () => {
    const first = await createAccount(server.url);
    const response = await post('/api/devices', { syncCode: first.syncCode, name: 'Tablet' });
    expect(response.status).toBe(201);
    const joined = (await response.json()) as JoinAccountResponse;
    expect(joined.accountId).toBe(first.accountId);
    expect(joined.deviceId).toMatch(UUID);
    expect(joined.deviceId).not.toBe(first.deviceId);
    expect(joined.deviceToken).toMatch(TOKEN);
    expect(joined.deviceToken).not.toBe(first.deviceToken);

    const devices = await listDevices(`Bearer ${joined.deviceToken}`);
    expect(devices.status).toBe(200);
    const { devices: listed } = (await devices.json()) as ListDevicesResponse;
    expect(listed.map((d) => d.id).sort()).toEqual([first.deviceId, joined.deviceId].sort());
    expect(listed.find((d) => d.id === joined.deviceId)?.name).toBe('Tablet');
  });

  it('accepts the code typed in lower case and with spaces', async () => {
    const first = await createAccount(server.url);
    const typed = ` ${first.syncCode.toLowerCase().replace(/-/g, ' ')} `;
    const response = await post('/api/devices', { syncCode: typed, name: 'Laptop' });
    expect(response.status).toBe(201);
    expect(((await response.json()) as JoinAccountResponse).accountId).toBe(first.accountId);
  });

  it('answers 404 for a well-formed code no account has', async () => {
    const response = await post('/api/devices', { syncCode: 'ZZZZ-ZZZZ-ZZZZ', name: 'Phone' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, code: 'UNKNOWN_SYNC_CODE' });
  });

  it.each([['ABCD-EFGH'], ['ABCD-EFGH-JKMU'], ['ABCD-EFGH-JKMN-PQRS'], ['']])(
    'answers 400 naming syncCode for the malformed code %j',
    async (syncCode) => {
      const response = await post('/api/devices', { syncCode, name: 'Phone' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as ApiErrorBody;
      expect(body.code).toBe('VALIDATION');
      expect(body.message).toContain('syncCode');
    },
  );

  it('answers 400 naming name when the device name is missing', async () => {
    const first = await createAccount(server.url);
    const response = await post('/api/devices', { syncCode: first.syncCode });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ApiErrorBody;
    expect(body.code).toBe('VALIDATION');
    expect(body.message).toMatch(/\bname\b/);
    // Nothing half-valid was written: the account still has one device.
    const devices = (await (await listDevices(`Bearer ${first.deviceToken}`)).json()) as ListDevicesResponse;
    expect(devices.devices).toHaveLength(1);
  });
});

describe('device tokens', () => {
  it('admits a live token without a WWW-Authenticate challenge', async () => {
    const first = await createAccount(server.url);
    const response = await listDevices(`Bearer ${first.deviceToken}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it('answers 401 with WWW-Authenticate when the token is missing', async () => {
    await expectUnauthorized(await listDevices(), 'missing device token');
  });

  it.each([['Bearer'], ['Bearer short'], ['Basic dXNlcjpwYXNz'], [`Bearer ${'a'.repeat(43)}!`]])(
    'answers 401 with WWW-Authenticate for the malformed header %j',
    async (header) => {
      await expectUnauthorized(await listDevices(header), 'malformed Authorization header');
    },
  );

  it('answers 401 with WWW-Authenticate for a well-formed token no device has', async () => {
    await expectUnauthorized(await listDevices(`Bearer ${Buffer.alloc(32, 7).toString('base64url')}`), 'unknown device token');
  });

  it('answers 401 for a device another device of the account revoked', async () => {
    const first = await createAccount(server.url);
    const second = await joinAccount(server.url, first.syncCode);
    expect((await listDevices(`Bearer ${second.deviceToken}`)).status).toBe(200);

    const revoked = await revoke(first.deviceToken, second.deviceId);
    expect(revoked.status).toBe(204);
    await expectUnauthorized(await listDevices(`Bearer ${second.deviceToken}`), 'device token was revoked');

    const remaining = (await (await listDevices(`Bearer ${first.deviceToken}`)).json()) as ListDevicesResponse;
    expect(remaining.devices.map((d) => d.id)).toEqual([first.deviceId]);
  });

  it('lets a device revoke itself, after which its token no longer works', async () => {
    const first = await createAccount(server.url);
    const response = await revoke(first.deviceToken, first.deviceId);
    expect(response.status).toBe(204);
    await expectUnauthorized(await listDevices(`Bearer ${first.deviceToken}`), 'device token was revoked');
  });

  it("answers 404 for another account's device and leaves that device working", async () => {
    const mine = await createAccount(server.url);
    const theirs = await createAccount(server.url);
    const response = await revoke(mine.deviceToken, theirs.deviceId);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await listDevices(`Bearer ${theirs.deviceToken}`)).status).toBe(200);
  });

  it('answers 400 naming the id when the device id is not a UUID', async () => {
    const mine = await createAccount(server.url);
    const response = await revoke(mine.deviceToken, 'not-a-uuid');
    expect(response.status).toBe(400);
    expect(((await response.json()) as ApiErrorBody).message).toContain('id');
  });
});

describe('GET /api/devices', () => {
  it("lists only the caller's account, marking the caller as current", async () => {
    const first = await createAccount(server.url, 'Phone');
    const second = await joinAccount(server.url, first.syncCode, 'Tablet');
    const stranger = await createAccount(server.url, 'Stranger');

    const response = await listDevices(`Bearer ${second.deviceToken}`);
    expect(response.status).toBe(200);
    const { devices } = (await response.json()) as ListDevicesResponse;
    expect(devices).toHaveLength(2);
    expect(devices.map((d) => d.id)).not.toContain(stranger.deviceId);
    expect(devices.find((d) => d.id === first.deviceId)).toMatchObject({ name: 'Phone', current: false });
    expect(devices.find((d) => d.id === second.deviceId)).toMatchObject({ name: 'Tablet', current: true });
    for (const device of devices) {
      expect(Number.isNaN(Date.parse(device.createdAt))).toBe(false);
      expect(device.lastSeenAt).not.toBeNull();
    }
  });
});
