import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRange } from '../../server/backups/range';
import { loadConfig } from '../../server/config';
import type { ApiErrorBody, HealthResponse } from '../../src/shared/api';
import {
  BACKUP_ID_HEADER,
  BACKUP_MEDIA_TYPE,
  type ListBackupsResponse,
  SHA256_HEADER,
  type StoredBackupResponse,
} from '../../src/shared/backup';
import { pathOf } from '../../src/shared/routes';
import { buildArchive, opaqueArchive, sha256Hex } from '../helpers/backup-archive';
import { backupStorage } from '../helpers/backup-storage';
import { TusTestClient } from '../helpers/backup-tus';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

const TUS_ENDPOINT = pathOf('tusCreate');

// What a stranger (anyone may create an account) can try against backups: every answer is a
// coded 4xx JSON error, nothing of another account is read, changed or removed, and the server
// keeps answering.

const KiB = 1024;
const QUOTA = 200 * KiB;
const KEEP = 2;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { BACKUP_QUOTA_BYTES: String(QUOTA), BACKUP_KEEP_COUNT: String(KEEP) } });
});
afterAll(async () => {
  await server.dispose();
});
afterEach(async () => {
  const health = await fetch(`${server.url}/api/health`);
  expect(health.status).toBe(200);
});

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with its path sent byte for byte: fetch would resolve `..` and may re-encode. */
function raw(method: string, pathAndQuery: string, headers: Record<string, string>, body?: Uint8Array): Promise<RawAnswer> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, method, path: pathAndQuery, headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (piece: string) => {
        text += piece;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function tusHeaders(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'tus-resumable': '1.0.0', authorization: `Bearer ${token}`, ...extra };
}

async function list(token: string): Promise<ListBackupsResponse> {
  const response = await fetch(`${server.url}/api/backups`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as ListBackupsResponse;
}

/** A direct upload of `bytes`; `body` sends them another way (a stream: chunked, no Content-Length). */
function postBackup(token: string, bytes: Uint8Array, id: string = randomUUID(), body: BodyInit = new Uint8Array(bytes)) {
  return fetch(`${server.url}/api/backups`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': BACKUP_MEDIA_TYPE,
      [SHA256_HEADER]: sha256Hex(bytes),
      [BACKUP_ID_HEADER]: id,
    },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** Expects the API's JSON error shape with this status and code, and no internals in it. */
function expectCoded(answer: { status: number; body: string }, status: number, code: string): ApiErrorBody {
  expect(answer.status).toBe(status);
  const body = JSON.parse(answer.body) as ApiErrorBody;
  expect(body).toEqual({ statusCode: status, code, error: expect.any(String), message: expect.any(String) });
  expect(answer.body).not.toMatch(/\bat \S+ \(|node_modules|\/tmp\/|ENOENT|ENOTDIR/);
  return body;
}

describe('another account’s tus upload', () => {
  const upload = opaqueArchive(64 * KiB, 11);
  const half = 32 * KiB;
  let owner: TusTestClient;
  let id: string;
  let backupId: string;
  let stranger: string;

  beforeAll(async () => {
    const account = await createAccount(server.url);
    owner = new TusTestClient(server.url, account.deviceToken);
    backupId = randomUUID();
    expect((await owner.create(upload.bytes.length, { backupId, sha256: upload.sha256 })).status).toBe(201);
    expect((await owner.patch(0, upload.bytes.subarray(0, half))).status).toBe(204);
    id = path.basename(owner.url ?? '');
    stranger = (await createAccount(server.url)).deviceToken;
  });

  // Every way to name the upload that a URL allows; @tus/server reads the id from the last `/` of the whole URL.
  const tricks = (id: string) => [
    `${TUS_ENDPOINT}/${id}`,
    `${TUS_ENDPOINT}?x=/${id}`,
    `${TUS_ENDPOINT}/${id}?x=1`,
    `${TUS_ENDPOINT}/anything?x=/${id}`,
    `${TUS_ENDPOINT}/${id}/`,
    `${TUS_ENDPOINT}//${id}`,
    `${TUS_ENDPOINT}/x/../${id}`,
    `${TUS_ENDPOINT}/..%2F${id}`,
    `${TUS_ENDPOINT}/x%2F${id}`,
    `${TUS_ENDPOINT}/%2F${id}`,
    `${TUS_ENDPOINT}/${id}%2F`,
    `${TUS_ENDPOINT}/${id}%00`,
    `${TUS_ENDPOINT}/${id}#x`,
    `/api/x/../uploads/${id}`,
  ];

  it.each(['HEAD', 'PATCH', 'DELETE', 'GET', 'POST', 'OPTIONS'])(
    'refuses %s through every URL trick, and the upload is untouched',
    async (method) => {
      for (const url of tricks(id)) {
        const headers = tusHeaders(
          stranger,
          method === 'POST'
            ? {
                'upload-length': String(upload.bytes.length),
                'upload-metadata': `backupId ${Buffer.from(randomUUID()).toString('base64')},sha256 ${Buffer.from(upload.sha256).toString('base64')}`,
              }
            : { 'upload-offset': String(half), 'content-type': 'application/offset+octet-stream' },
        );
        const answer = await raw(method, url, headers, method === 'PATCH' ? upload.bytes.subarray(half, half + 100) : undefined);
        if (method === 'OPTIONS') {
          // CORS preflight and tus discovery: says what the server supports, nothing about any upload.
          expect(answer.headers['upload-offset'], url).toBeUndefined();
          continue;
        }
        if (method === 'POST' && answer.status === 201) {
          // Creation is only on the endpoint itself; what it creates is the stranger's own, new upload.
          expect(url.startsWith(`${TUS_ENDPOINT}?`), url).toBe(true);
          expect(answer.headers.location).not.toContain(id);
          continue;
        }
        expect([400, 404], `${method} ${url}: ${answer.status} ${answer.body}`).toContain(answer.status);
        expect(answer.headers['upload-offset'], url).toBeUndefined();
        if (method !== 'HEAD') expect(JSON.parse(answer.body), url).toMatchObject({ statusCode: answer.status, code: expect.any(String) });
      }
      // The owner's upload has its bytes and offset, and still finishes.
      const head = await owner.offset();
      expect(head.status).toBe(200);
      expect(head.headers.get('upload-offset')).toBe(String(half));
    },
  );

  it('finishes for its owner with exactly the owner’s bytes', async () => {
    const last = await owner.patch(half, upload.bytes.subarray(half));
    expect(last.status).toBe(200);
    expect(await last.json()).toMatchObject({ id: backupId, sha256: upload.sha256, bytes: upload.bytes.length });
    expect((await raw('HEAD', `${TUS_ENDPOINT}/${id}`, tusHeaders(stranger))).status).toBe(404);
  });
});

describe('tus errors', () => {
  it('are the API’s coded JSON errors, a missing upload like another account’s', async () => {
    const device = await createAccount(server.url);
    const client = new TusTestClient(server.url, device.deviceToken);
    const archive = opaqueArchive(4 * KiB);
    expect((await client.create(archive.bytes.length, { backupId: randomUUID(), sha256: archive.sha256 })).status).toBe(201);
    const conflict = await client.patch(100, archive.bytes.subarray(100));
    expectCoded({ status: conflict.status, body: await conflict.text() }, 409, 'TUS_INVALID_OFFSET');

    const missing = await raw('PATCH', `${TUS_ENDPOINT}/${'0'.repeat(32)}`, {
      ...tusHeaders(device.deviceToken),
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    });
    expect(expectCoded(missing, 404, 'NOT_FOUND').message).toBe('upload not found');
    const invalid = await raw('POST', TUS_ENDPOINT, tusHeaders(device.deviceToken, { 'upload-length': '100', 'upload-defer-length': '1' }));
    expectCoded(invalid, 400, 'TUS_INVALID_LENGTH');
    const anonymous = await raw('POST', TUS_ENDPOINT, { 'tus-resumable': '1.0.0', 'upload-length': '100' });
    expectCoded(anonymous, 401, 'UNAUTHORIZED');
  });

  it('hide a failure of the storage behind a plain 500, and the server recovers', async () => {
    const device = await createAccount(server.url);
    const repair = await backupStorage(server).breakUploads();
    try {
      const archive = opaqueArchive(4 * KiB);
      const answer = await raw(
        'POST',
        TUS_ENDPOINT,
        tusHeaders(device.deviceToken, {
          'upload-length': String(archive.bytes.length),
          'upload-metadata': `backupId ${Buffer.from(randomUUID()).toString('base64')},sha256 ${Buffer.from(archive.sha256).toString('base64')}`,
        }),
      );
      expect(JSON.parse(answer.body)).toEqual({
        statusCode: 500,
        code: 'INTERNAL',
        error: 'Internal Server Error',
        message: 'internal error',
      });
    } finally {
      await repair();
    }
    const client = new TusTestClient(server.url, device.deviceToken);
    const archive = opaqueArchive(4 * KiB);
    expect((await client.create(archive.bytes.length, { backupId: randomUUID(), sha256: archive.sha256 })).status).toBe(201);
  });
});

describe('what is not an archive', () => {
  it('refuses an empty tus upload at creation, and a Range of it is a 404, never a 500', async () => {
    const device = await createAccount(server.url);
    const client = new TusTestClient(server.url, device.deviceToken);
    const backupId = randomUUID();
    const created = await client.create(0, { backupId, sha256: sha256Hex(Buffer.alloc(0)) });
    expectCoded({ status: created.status, body: await created.text() }, 400, 'NOT_AN_ARCHIVE');
    const ranged = await fetch(`${server.url}/api/backups/${backupId}`, {
      headers: { authorization: `Bearer ${device.deviceToken}`, range: 'bytes=-1' },
    });
    expect(ranged.status).toBe(404);
    expect((await list(device.deviceToken)).backups).toEqual([]);
  });

  it('refuses an upload of unknown length (its quota could not be checked)', async () => {
    const device = await createAccount(server.url);
    const answer = await raw(
      'POST',
      TUS_ENDPOINT,
      tusHeaders(device.deviceToken, {
        'upload-defer-length': '1',
        'upload-metadata': `backupId ${Buffer.from(randomUUID()).toString('base64')},sha256 ${Buffer.from('a'.repeat(64)).toString('base64')}`,
      }),
    );
    expect(expectCoded(answer, 400, 'VALIDATION').message).toContain('Upload-Length');
  });

  it('refuses a finished tus upload that is not gzip, keeping nothing', async () => {
    const device = await createAccount(server.url);
    const client = new TusTestClient(server.url, device.deviceToken);
    const text = Buffer.from('this is not a gzip archive, whatever its checksum says');
    expect((await client.create(text.length, { backupId: randomUUID(), sha256: sha256Hex(text) })).status).toBe(201);
    const last = await client.patch(0, text);
    expectCoded({ status: last.status, body: await last.text() }, 400, 'NOT_AN_ARCHIVE');
    expect((await client.offset()).status).toBe(404);
    expect((await list(device.deviceToken)).backups).toEqual([]);
  });

  it('refuses an empty direct upload', async () => {
    const device = await createAccount(server.url);
    const answer = await postBackup(device.deviceToken, new Uint8Array());
    expectCoded({ status: answer.status, body: await answer.text() }, 400, 'NOT_AN_ARCHIVE');
  });

  it.each([
    ['bytes=-1', 0, 'unsatisfiable'],
    ['bytes=0-', 0, 'unsatisfiable'],
    ['bytes=0-0', 0, 'unsatisfiable'],
    ['bytes=-1', 10, { start: 9, end: 9 }],
    ['bytes=-20', 10, { start: 0, end: 9 }],
    ['bytes=-0', 10, 'unsatisfiable'],
    ['bytes=10-', 10, 'unsatisfiable'],
    ['bytes=3-99', 10, { start: 3, end: 9 }],
    ['bytes=5-3', 10, 'whole'],
    ['bytes=1-2,4-5', 10, 'whole'],
    ['items=1-2', 10, 'whole'],
  ] as const)('reads Range %s of %i bytes as %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('quotas', () => {
  it('are read from BACKUP_QUOTA_BYTES and BACKUP_KEEP_COUNT, with defaults, and a bad value names its variable', () => {
    expect(loadConfig({}, '/srv')).toMatchObject({ backupQuotaBytes: 4 * 1024 ** 3, backupKeepCount: 5 });
    expect(loadConfig({ BACKUP_QUOTA_BYTES: '1048576', BACKUP_KEEP_COUNT: '2' }, '/srv')).toMatchObject({
      backupQuotaBytes: 1024 ** 2,
      backupKeepCount: 2,
    });
    expect(() => loadConfig({ BACKUP_KEEP_COUNT: '0' }, '/srv')).toThrow(/^BACKUP_KEEP_COUNT: /);
    expect(() => loadConfig({ BACKUP_QUOTA_BYTES: '1GB' }, '/srv')).toThrow(/^BACKUP_QUOTA_BYTES: /);
  });

  it('refuses at creation an upload that would not fit, tus or direct, and keeps nothing', async () => {
    const device = await createAccount(server.url);
    const client = new TusTestClient(server.url, device.deviceToken);
    const big = opaqueArchive(QUOTA + 1);
    const created = await client.create(big.bytes.length, { backupId: randomUUID(), sha256: big.sha256 });
    expect(expectCoded({ status: created.status, body: await created.text() }, 413, 'QUOTA_BACKUP_BYTES').message).toMatch(
      /more than this account's 0\.2 MiB of backup space: ask the server operator/,
    );
    expect(client.url).toBeNull();
    const direct = await postBackup(device.deviceToken, big.bytes);
    expectCoded({ status: direct.status, body: await direct.text() }, 413, 'QUOTA_BACKUP_BYTES');
    // Without a length, the body is cut where it passes the room left, not written out to BACKUP_MAX_BYTES.
    const pieces = [big.bytes.subarray(0, QUOTA / 2), big.bytes.subarray(QUOTA / 2)];
    const stream = new ReadableStream({ pull: (out) => (pieces.length ? out.enqueue(pieces.shift()) : out.close()) });
    const chunked = await postBackup(device.deviceToken, big.bytes, randomUUID(), stream);
    expect(expectCoded({ status: chunked.status, body: await chunked.text() }, 413, 'QUOTA_BACKUP_BYTES').message).toMatch(
      /^this backup is over 0\.2 MiB, more than/,
    );
    expect((await list(device.deviceToken)).backups).toEqual([]);
    expect(await backupStorage(server).accountFiles(device.accountId)).toEqual([]);

    // Unfinished uploads hold their length: two that each fit alone do not fit together.
    const first = new TusTestClient(server.url, device.deviceToken);
    expect((await first.create(QUOTA / 2 + 1, { backupId: randomUUID(), sha256: big.sha256 })).status).toBe(201);
    const second = await new TusTestClient(server.url, device.deviceToken).create(QUOTA / 2 + 1, {
      backupId: randomUUID(),
      sha256: big.sha256,
    });
    expect(expectCoded({ status: second.status, body: await second.text() }, 413, 'QUOTA_BACKUP_BYTES').message).toMatch(
      /does not fit .* backup space: .* uploads still arriving hold 0\.1 MiB\. Delete older backups/,
    );
    // A direct upload meets the same held space.
    const alongside = await postBackup(device.deviceToken, opaqueArchive(QUOTA / 2 + 1, 5).bytes);
    expectCoded({ status: alongside.status, body: await alongside.text() }, 413, 'QUOTA_BACKUP_BYTES');
    // Gone, it holds nothing.
    expect((await raw('DELETE', first.url ?? '', tusHeaders(device.deviceToken))).status).toBe(204);
    const third = await new TusTestClient(server.url, device.deviceToken).create(QUOTA / 2 + 1, {
      backupId: randomUUID(),
      sha256: big.sha256,
    });
    expect(third.status).toBe(201);
  });

  it('limits the unfinished uploads of an account', async () => {
    const device = await createAccount(server.url);
    const archive = opaqueArchive(1 * KiB);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const client = new TusTestClient(server.url, device.deviceToken);
      const answer = await client.create(archive.bytes.length, { backupId: randomUUID(), sha256: archive.sha256 });
      statuses.push(answer.status);
      if (answer.status !== 201) expectCoded({ status: answer.status, body: await answer.text() }, 429, 'QUOTA_UPLOADS_IN_FLIGHT');
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });

  it('keeps the newest BACKUP_KEEP_COUNT uploads, and says which older ones it removed', async () => {
    const device = await createAccount(server.url);
    const archives = [1, 2, 3, 4].map((seed) => opaqueArchive(40 * KiB, seed));
    const ids = archives.map(() => randomUUID());
    const answers: StoredBackupResponse[] = [];
    for (const [i, archive] of archives.entries()) {
      if (i % 2 === 0) {
        const response = await postBackup(device.deviceToken, archive.bytes, ids[i]);
        expect(response.status).toBe(201);
        answers.push((await response.json()) as StoredBackupResponse);
      } else {
        const client = new TusTestClient(server.url, device.deviceToken);
        expect((await client.create(archive.bytes.length, { backupId: ids[i] ?? '', sha256: archive.sha256 })).status).toBe(201);
        const last = await client.patch(0, archive.bytes);
        expect(last.status).toBe(200);
        answers.push((await last.json()) as StoredBackupResponse);
      }
    }
    expect(answers.map((answer) => answer.removed.map((removed) => removed.id))).toEqual([[], [], [ids[0]], [ids[1]]]);
    const listed = await list(device.deviceToken);
    expect(listed.quota).toEqual({ bytes: QUOTA, count: KEEP });
    expect(listed.backups.map((backup) => backup.id)).toEqual([ids[3], ids[2]]);
    const files = (await backupStorage(server).accountFiles(device.accountId)).sort();
    expect(files).toEqual([`${ids[2]}.gz`, `${ids[3]}.gz`].sort());
    const gone = await fetch(`${server.url}/api/backups/${ids[0]}`, { headers: { authorization: `Bearer ${device.deviceToken}` } });
    expect(gone.status).toBe(404);
  });

  it('counts only what stays: a backup that fits once the oldest goes is taken', async () => {
    const device = await createAccount(server.url);
    const archives = [1, 2, 3].map((seed) => opaqueArchive(90 * KiB, seed)); // two fit in 200 KiB, three do not
    for (const archive of archives) expect((await postBackup(device.deviceToken, archive.bytes)).status).toBe(201);
    expect((await list(device.deviceToken)).backups).toHaveLength(KEEP);
  });

  it('lets the owner delete a backup, and nobody else', async () => {
    const device = await createAccount(server.url);
    const stranger = await createAccount(server.url);
    const archive = buildArchive([]);
    const id = randomUUID();
    expect((await postBackup(device.deviceToken, archive.bytes, id)).status).toBe(201);
    const remove = (token: string) =>
      fetch(`${server.url}/api/backups/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect((await remove(stranger.deviceToken)).status).toBe(404);
    expect((await list(device.deviceToken)).backups).toHaveLength(1);
    expect((await remove(device.deviceToken)).status).toBe(204);
    expect((await list(device.deviceToken)).backups).toEqual([]);
    expect((await remove(device.deviceToken)).status).toBe(404);
  });

  it('builds one export of an account at a time', async () => {
    const device = await createAccount(server.url);
    const chunks = toChunks(syntheticSamples(Date.UTC(2026, 10, 2, 7), 60 * 120));
    expect((await uploadBatch(server.url, device.deviceToken, { header: {}, chunks, docs: [] })).status).toBe(201);
    const exportOnce = () =>
      fetch(`${server.url}/api/backups/export`, { method: 'POST', headers: { authorization: `Bearer ${device.deviceToken}` } });
    const answers = await Promise.all([exportOnce(), exportOnce(), exportOnce()]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses[0]).toBe(201);
    expect(statuses.at(-1)).toBe(409);
    const refused = answers.find((answer) => answer.status === 409);
    expectCoded({ status: 409, body: (await refused?.text()) ?? '' }, 409, 'EXPORT_IN_PROGRESS');
    // Once it is done the next one is built, and at most two stored exports are kept.
    for (let i = 0; i < 3; i++) expect((await exportOnce()).status).toBe(201);
    const streamed = await fetch(`${server.url}/api/backups/export`, { headers: { authorization: `Bearer ${device.deviceToken}` } });
    expect(streamed.status).toBe(200);
    await streamed.arrayBuffer();
    expect((await list(device.deviceToken)).backups.filter((backup) => backup.kind === 'export')).toHaveLength(2);
    expect((await exportOnce()).status).toBe(201);
  });
});

describe('GET /api/health with the database down', () => {
  it('answers 503 unavailable and nothing else, then ok again once it is back', async () => {
    // Postgres behind a TCP relay the test can cut: its errors name the host and port.
    const target = new URL(process.env.STEADY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    const sockets = new Set<net.Socket>();
    let up = true;
    const relay = net.createServer((client) => {
      if (!up) return void client.destroy();
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const port = (relay.address() as net.AddressInfo).port;
    const relayed = new URL(target);
    relayed.host = `127.0.0.1:${port}`;
    const down = await startTestServer({
      env: { DATABASE_URL: relayed.href, DATABASE_SCHEMA: `t_health_${randomUUID().replace(/-/g, '').slice(0, 12)}` },
    });
    try {
      expect(await (await fetch(`${down.url}/api/health`)).json()).toEqual({ status: 'ok' });
      up = false;
      for (const socket of sockets) socket.destroy();
      const answer = await fetch(`${down.url}/api/health`);
      expect(answer.status).toBe(503);
      const text = await answer.text();
      expect(JSON.parse(text) as HealthResponse).toEqual({ status: 'unavailable' });
      expect(text).not.toMatch(new RegExp(`${port}|127\\.0\\.0\\.1|postgres|ECONN`));
      up = true;
      await expect.poll(async () => (await fetch(`${down.url}/api/health`)).status).toBe(200);
    } finally {
      up = true;
      await down.dispose();
      for (const socket of sockets) socket.destroy();
      relay.close();
    }
  });
});
