import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../server/db/open';
import type { Database } from '../../server/db/schema';
import type {
  ApiErrorBody,
  CreateAccountResponse,
  CreatePairingCodeResponse,
  JoinAccountResponse,
  ListDevicesResponse,
} from '../../src/shared/api';
import { PAIRING_CODE_PATTERN } from '../../src/shared/api';
import { fakePushSubscription } from '../helpers/push-rows';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, joinAccount, makePairingCode } from '../helpers/sync-client';

// Runs on SQLite (project `server`) and on Postgres (project `server-postgres`, STEADY_TEST_DB=postgres).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const MAX_DEVICES = 4;
const MAX_CODES = 3;

let server: TestServer;
let database: OpenDatabase;
let db: Kysely<Database>;
/** The server's clock runs this far ahead of the real one: a test moves it instead of sleeping. */
let clockAhead = 0;

beforeAll(async () => {
  server = await startTestServer({
    now: () => new Date(Date.now() + clockAhead),
    env: { MAX_DEVICES_PER_ACCOUNT: String(MAX_DEVICES), MAX_PAIRING_CODES_PER_ACCOUNT: String(MAX_CODES) },
  });
  // A second connection to the server's own database (either dialect) to look at the rows.
  database = await openDatabase(server.config);
  db = database.db;
});
afterEach(() => {
  clockAhead = 0;
});
afterAll(async () => {
  await database?.close();
  await server?.dispose();
});

function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const join = (pairingCode: string, name = 'Tablet') => post('/api/devices', { pairingCode, name });

function requestCode(token: string): Promise<Response> {
  return fetch(`${server.url}/api/pairing-codes`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

function listDevices(authorization?: string): Promise<Response> {
  return fetch(`${server.url}/api/devices`, { headers: authorization === undefined ? {} : { authorization } });
}

function revoke(token: string, deviceId: string): Promise<Response> {
  return fetch(`${server.url}/api/devices/${deviceId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
}

async function expectUnauthorized(response: Response, message: string, code = 'UNAUTHORIZED'): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer realm="steady"');
  expect(await response.json()).toMatchObject({ statusCode: 401, code, message });
}

async function expectError(response: Response, status: number, code: string): Promise<ApiErrorBody> {
  const body = (await response.json()) as ApiErrorBody;
  expect({ status: response.status, code: body.code }).toEqual({ status, code });
  return body;
}

async function deviceIds(token: string): Promise<string[]> {
  return ((await (await listDevices(`Bearer ${token}`)).json()) as ListDevicesResponse).devices.map((d) => d.id).sort();
}

/** Every value of every row of every table in the server's database, as text. */
async function everyStoredValue(): Promise<string[]> {
  const tables =
    database.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
          db,
        );
  const names = tables.rows.map((r) => r.name);
  expect(names).toEqual(expect.arrayContaining(['accounts', 'devices', 'pairing_codes']));
  const values: string[] = [];
  for (const name of names) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    for (const row of rows.rows) values.push(...Object.values(row).map(String));
  }
  return values;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('POST /api/accounts', () => {
  it('creates an account with a 256-bit device token and no code of any kind', async () => {
    const response = await post('/api/accounts', { name: 'Pixel 8' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as CreateAccountResponse;
    expect(Object.keys(body).sort()).toEqual(['accountId', 'deviceId', 'deviceToken']);
    expect(body.accountId).toMatch(UUID);
    expect(body.deviceId).toMatch(UUID);
    expect(body.deviceToken).toMatch(TOKEN);
    expect(Buffer.from(body.deviceToken, 'base64url')).toHaveLength(32);

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

  it('gives every account its own token', async () => {
    const [a, b] = await Promise.all([createAccount(server.url), createAccount(server.url)]);
    expect(a.accountId).not.toBe(b.accountId);
    expect(a.deviceToken).not.toBe(b.deviceToken);
  });
});

describe('POST /api/pairing-codes', () => {
  it('answers a typeable one-time code that expires in 10 minutes', async () => {
    const first = await createAccount(server.url);
    const before = Date.now();
    const response = await requestCode(first.deviceToken);
    expect(response.status).toBe(201);
    const body = (await response.json()) as CreatePairingCodeResponse;
    expect(Object.keys(body).sort()).toEqual(['code', 'expiresAt', 'expiresInSeconds']);
    expect(body.expiresInSeconds).toBe(600);
    expect(body.code).toMatch(new RegExp(PAIRING_CODE_PATTERN));
    expect(body.code).toMatch(/^.{4}-.{4}-.{4}-.{4}$/);
    const ttl = Date.parse(body.expiresAt) - before;
    expect(ttl).toBeGreaterThanOrEqual(10 * 60_000 - 1000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000 + 1000);
    expect((await makePairingCode(server.url, first.deviceToken)).code).not.toBe(body.code);
  });

  it('needs a live device token', async () => {
    await expectUnauthorized(await fetch(`${server.url}/api/pairing-codes`, { method: 'POST' }), 'missing device token');
  });

  it('stores the code neither as itself nor as a plain SHA-256, but salted and slow', async () => {
    const first = await createAccount(server.url, 'hash check');
    const { code } = await makePairingCode(server.url, first.deviceToken);
    const [lookup, ...secretGroups] = code.split('-');
    const secret = secretGroups.join('');
    const values = await everyStoredValue();
    // The rows are there (so the search below searched something) …
    expect(values).toContain(first.accountId);
    expect(values).toContain(lookup);
    // … but no form of a secret a person could type back, nor its unsalted SHA-256.
    const secrets = [first.deviceToken, code, code.replace(/-/g, ''), secret, secretGroups.join('-')];
    const forbidden = [...secrets, ...secrets.filter((s) => s !== first.deviceToken).map(sha256)];
    for (const value of values) {
      for (const secret of forbidden) expect(value).not.toContain(secret);
    }
    const row = await db.selectFrom('pairing_codes').selectAll().where('lookup', '=', lookup!).executeTakeFirstOrThrow();
    expect(row.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    // Another code gets another salt: one precomputed table cannot serve two codes.
    const other = await makePairingCode(server.url, first.deviceToken);
    const otherRow = await db
      .selectFrom('pairing_codes')
      .select('salt')
      .where('lookup', '=', other.code.slice(0, 4))
      .executeTakeFirstOrThrow();
    expect(otherRow.salt).not.toBe(row.salt);
  });

  it(`allows ${MAX_CODES} waiting codes per account, and another once one is used or expired`, async () => {
    const first = await createAccount(server.url);
    const codes = [];
    for (let i = 0; i < MAX_CODES; i++) codes.push((await makePairingCode(server.url, first.deviceToken)).code);
    const refused = await expectError(await requestCode(first.deviceToken), 409, 'QUOTA_PAIRING_CODES');
    expect(refused.message).toContain(`${MAX_CODES} pairing codes`);
    expect((await join(codes[0]!)).status).toBe(201);
    expect((await requestCode(first.deviceToken)).status).toBe(201);
    clockAhead = 10 * 60_000 + 1000;
    expect((await requestCode(first.deviceToken)).status).toBe(201);
  });
});

describe('POST /api/devices', () => {
  it('joins the account of the code with a new device and token', async () => {
    const first = await createAccount(server.url);
    const { code } = await makePairingCode(server.url, first.deviceToken);
    const response = await join(code);
    expect(response.status).toBe(201);
    const joined = (await response.json()) as JoinAccountResponse;
    expect(Object.keys(joined).sort()).toEqual(['accountId', 'deviceId', 'deviceToken']);
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

  it('works once: the second use answers 410 and adds no device', async () => {
    const first = await createAccount(server.url);
    const { code } = await makePairingCode(server.url, first.deviceToken);
    expect((await join(code, 'Tablet')).status).toBe(201);
    await expectError(await join(code, 'Laptop'), 410, 'PAIRING_CODE_USED');
    expect(await deviceIds(first.deviceToken)).toHaveLength(2);
  });

  it('lets only one of three devices racing with one code in', async () => {
    const first = await createAccount(server.url);
    const { code } = await makePairingCode(server.url, first.deviceToken);
    const answers = await Promise.all([join(code, 'A'), join(code, 'B'), join(code, 'C')]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 410, 410]);
    expect(await deviceIds(first.deviceToken)).toHaveLength(2);
  });

  it('refuses a code after its 10 minutes, and accepts it just before', async () => {
    const first = await createAccount(server.url);
    const late = await makePairingCode(server.url, first.deviceToken);
    const onTime = await makePairingCode(server.url, first.deviceToken);
    clockAhead = 10 * 60_000 - 5000;
    expect((await join(onTime.code)).status).toBe(201);
    clockAhead = 10 * 60_000 + 1000;
    const refused = await expectError(await join(late.code), 410, 'PAIRING_CODE_EXPIRED');
    expect(refused.message).toContain('expired');
    expect(await deviceIds(first.deviceToken)).toHaveLength(2);
  });

  it('answers 404 for a wrong secret behind a real lookup id, and for a code never made', async () => {
    const first = await createAccount(server.url);
    const { code } = await makePairingCode(server.url, first.deviceToken);
    const last = code.at(-1) === '0' ? '1' : '0';
    await expectError(await join(`${code.slice(0, -1)}${last}`), 404, 'UNKNOWN_PAIRING_CODE');
    await expectError(await join('ZZZZ-ZZZZ-ZZZZ-ZZZZ'), 404, 'UNKNOWN_PAIRING_CODE');
    // The wrong guess did not use the code up.
    expect((await join(code)).status).toBe(201);
  });

  it('accepts the code typed in lower case, with spaces and look-alike letters', async () => {
    const first = await createAccount(server.url);
    const { code } = await makePairingCode(server.url, first.deviceToken);
    const typed = ` ${code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l')} `;
    const response = await join(typed, 'Laptop');
    expect(response.status).toBe(201);
    expect(((await response.json()) as JoinAccountResponse).accountId).toBe(first.accountId);
  });

  it.each([['ABCD-EFGH-JKMN'], ['ABCD-EFGH-JKMN-PQRU'], ['ABCD-EFGH-JKMN-PQRS-TVWX'], ['']])(
    'answers 400 naming pairingCode for the malformed code %j',
    async (pairingCode) => {
      const body = await expectError(await join(pairingCode), 400, 'VALIDATION');
      expect(body.message).toContain('pairingCode');
    },
  );

  it('answers 400 for the retired syncCode field', async () => {
    const body = await expectError(await post('/api/devices', { syncCode: 'ABCD-EFGH-JKMN', name: 'Phone' }), 400, 'VALIDATION');
    expect(body.message).toContain('pairingCode');
  });

  it('answers 400 naming name when the device name is missing, and keeps the code usable', async () => {
    const first = await createAccount(server.url);
    const { code } = await makePairingCode(server.url, first.deviceToken);
    const body = await expectError(await post('/api/devices', { pairingCode: code }), 400, 'VALIDATION');
    expect(body.message).toMatch(/\bname\b/);
    // Nothing half-valid was written: the account still has one device, and the code still works.
    expect(await deviceIds(first.deviceToken)).toEqual([first.deviceId]);
    expect((await join(code)).status).toBe(201);
  });
});

describe('device quota', () => {
  it(`keeps an account at ${MAX_DEVICES} live devices until one is removed`, async () => {
    const first = await createAccount(server.url);
    const others = [];
    for (let i = 1; i < MAX_DEVICES; i++) others.push(await joinAccount(server.url, first, `device ${i}`));
    // No code for a full account, and a code made before it filled up does not add a device.
    const full = await expectError(await requestCode(first.deviceToken), 409, 'QUOTA_DEVICES');
    expect(full.message).toContain('remove a device first');
    expect(await deviceIds(first.deviceToken)).toHaveLength(MAX_DEVICES);

    expect((await revoke(first.deviceToken, others[0]!.deviceId)).status).toBe(204);
    const { code } = await makePairingCode(server.url, first.deviceToken);
    const early = await makePairingCode(server.url, first.deviceToken);
    expect((await join(code)).status).toBe(201);
    await expectError(await join(early.code), 409, 'QUOTA_DEVICES');
    expect(await deviceIds(first.deviceToken)).toHaveLength(MAX_DEVICES);
  });
});

describe('revocation', () => {
  it('kills the token at once; the device cannot make codes, and its waiting codes die with it', async () => {
    const first = await createAccount(server.url);
    const second = await joinAccount(server.url, first);
    const { code: madeBySecond } = await makePairingCode(server.url, second.deviceToken);
    const { code: madeByFirst } = await makePairingCode(server.url, first.deviceToken);

    expect((await revoke(first.deviceToken, second.deviceId)).status).toBe(204);
    await expectUnauthorized(await listDevices(`Bearer ${second.deviceToken}`), 'device token was revoked', 'DEVICE_REVOKED');
    await expectUnauthorized(await requestCode(second.deviceToken), 'device token was revoked', 'DEVICE_REVOKED');
    await expectError(await join(madeBySecond), 404, 'UNKNOWN_PAIRING_CODE');
    // A trusted device's code still works: that is how the revoked device may come back, as a new device.
    const back = (await (await join(madeByFirst, 'second, again')).json()) as JoinAccountResponse;
    expect(back.deviceId).not.toBe(second.deviceId);
    expect(await deviceIds(first.deviceToken)).toEqual([first.deviceId, back.deviceId].sort());
  });

  it('stops pushes to the revoked device', async () => {
    const first = await createAccount(server.url);
    const second = await joinAccount(server.url, first);
    await db.insertInto('push_subscriptions').values(fakePushSubscription(second.deviceId, first.accountId)).execute();
    expect((await revoke(first.deviceToken, second.deviceId)).status).toBe(204);
    expect(await db.selectFrom('push_subscriptions').select('device_id').where('device_id', '=', second.deviceId).execute()).toEqual([]);
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
    const second = await joinAccount(server.url, first);
    expect((await listDevices(`Bearer ${second.deviceToken}`)).status).toBe(200);

    const revoked = await revoke(first.deviceToken, second.deviceId);
    expect(revoked.status).toBe(204);
    await expectUnauthorized(await listDevices(`Bearer ${second.deviceToken}`), 'device token was revoked', 'DEVICE_REVOKED');
    expect(await deviceIds(first.deviceToken)).toEqual([first.deviceId]);
  });

  it('lets a device revoke itself, after which its token no longer works', async () => {
    const first = await createAccount(server.url);
    const response = await revoke(first.deviceToken, first.deviceId);
    expect(response.status).toBe(204);
    await expectUnauthorized(await listDevices(`Bearer ${first.deviceToken}`), 'device token was revoked', 'DEVICE_REVOKED');
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
    const second = await joinAccount(server.url, first, 'Tablet');
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
