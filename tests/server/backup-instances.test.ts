import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_ID_HEADER, BACKUP_MEDIA_TYPE, type ListBackupsResponse, SHA256_HEADER } from '../../src/shared/backup';
import { eventually } from '../helpers/armband-emulation';
import { opaqueArchive, storeBackup } from '../helpers/backup-archive';
import { backupStorage } from '../helpers/backup-storage';
import { TusTestClient } from '../helpers/backup-tus';
import { dropSchema, startTestServer, type TestServer, testDatabaseUrl } from '../helpers/server';
import { createAccount } from '../helpers/sync-client';

// Two instances of the server on ONE Postgres schema, as behind a load balancer: each request
// of a backup may land on either. Postgres whichever project runs this file (sharedSchema).
const schema = `t_instances_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const MiB = 1024 * 1024;
let a: TestServer;
let b: TestServer;

/** Backup space per account: each test's archives fit, two 5 MiB ones do not. */
const QUOTA = 8 * 1024 * 1024;

beforeAll(async () => {
  // One expiry for every instance, as in production: whichever instance takes a `backup-expiry`
  // job applies its own setting. Only the sweeper of the last test runs the job often (each
  // second); these two schedule it hourly, so no upload of the other tests expires under them.
  const env = { BACKUP_QUOTA_BYTES: String(QUOTA), BACKUP_EXPIRY_SECONDS: '1' };
  a = await startTestServer({ sharedSchema: schema, env });
  b = await startTestServer({ sharedSchema: schema, env });
});

afterAll(async () => {
  await a?.dispose();
  await b?.dispose();
  await dropSchema(testDatabaseUrl(), schema);
});

/** The same tus upload, addressed to another instance. */
function on(server: TestServer, client: TusTestClient, token: string): TusTestClient {
  const other = new TusTestClient(server.url, token);
  other.url = client.url;
  return other;
}

async function list(server: TestServer, token: string): Promise<ListBackupsResponse> {
  const response = await fetch(`${server.url}/api/backups`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as ListBackupsResponse;
}

/** Whether this instance's session holds the advisory lock of upload `id` (server/backups/postgres-locker.ts). */
async function uploadLocked(id: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ held: boolean }>(
      `select exists (select 1 from pg_locks where locktype = 'advisory' and granted
         and ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)) as held`,
      [`${schema}/${id}`],
    );
    return rows[0]?.held ?? false;
  } finally {
    await client.end();
  }
}

/** A direct upload whose first MiB goes out at once and the rest when `finish()` is called. */
function slowUpload(server: TestServer, token: string, archive: { bytes: Buffer; sha256: string }) {
  const request = http.request(`${server.url}/api/backups`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': BACKUP_MEDIA_TYPE,
      'content-length': String(archive.bytes.length),
      [SHA256_HEADER]: archive.sha256,
      [BACKUP_ID_HEADER]: randomUUID(),
    },
  });
  const status = new Promise<number>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
  });
  request.write(archive.bytes.subarray(0, MiB));
  return { status, finish: () => request.end(archive.bytes.subarray(MiB)) };
}

describe('backups on several instances sharing one Postgres', () => {
  it('finishes on instance B a tus upload begun on instance A', async () => {
    const device = await createAccount(a.url);
    const archive = opaqueArchive(2 * MiB + 4321); // more than one stored part
    const backupId = randomUUID();
    const onA = new TusTestClient(a.url, device.deviceToken);
    expect((await onA.create(archive.bytes.length, { backupId, sha256: archive.sha256 })).status).toBe(201);
    const half = Math.floor(archive.bytes.length / 2);
    expect((await onA.patch(0, archive.bytes.subarray(0, half))).status).toBe(204);

    const onB = on(b, onA, device.deviceToken);
    const head = await onB.offset();
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('upload-offset'))).toBe(half);
    expect(Number(head.headers.get('upload-length'))).toBe(archive.bytes.length);
    const last = await onB.patch(half, archive.bytes.subarray(half));
    expect(last.status).toBe(200);
    expect(await last.json()).toMatchObject({ id: backupId, sha256: archive.sha256, bytes: archive.bytes.length, removed: [] });

    for (const server of [a, b]) {
      expect((await list(server, device.deviceToken)).backups).toEqual([
        expect.objectContaining({ id: backupId, sha256: archive.sha256, bytes: archive.bytes.length }),
      ]);
    }
    expect(Number((await onA.offset()).headers.get('upload-offset'))).toBe(archive.bytes.length);
    expect((await backupStorage(a).archive(device.accountId, backupId))?.equals(archive.bytes)).toBe(true);
    expect(await backupStorage(a).tusUploads(device.accountId)).toHaveLength(1); // finished, answerable to HEAD until it expires
    // Neither instance keeps a byte of it on its own disk.
    for (const server of [a, b]) expect(fs.existsSync(path.join(server.dataDir, 'backups'))).toBe(false);
  });

  it('serves from instance B, by Range, a backup uploaded to instance A, byte for byte', async () => {
    const device = await createAccount(a.url);
    const archive = opaqueArchive(3 * MiB + 777);
    const backupId = randomUUID();
    expect((await storeBackup(a.url, device.deviceToken, archive, backupId)).status).toBe(201);
    const size = archive.bytes.length;
    const ranges: [string, number, number][] = [
      ['bytes=0-99', 0, 99], // the start
      [`bytes=${MiB - 10}-${2 * MiB + 9}`, MiB - 10, 2 * MiB + 9], // the middle, across two part boundaries
      [`bytes=${2 * MiB}-${2 * MiB}`, 2 * MiB, 2 * MiB], // one byte, the first of a part
      ['bytes=-5000', size - 5000, size - 1], // a suffix
      [`bytes=${3 * MiB}-`, 3 * MiB, size - 1], // an open end, in the last (short) part
    ];
    for (const [range, start, end] of ranges) {
      const answer = await fetch(`${b.url}/api/backups/${backupId}`, {
        headers: { authorization: `Bearer ${device.deviceToken}`, range },
      });
      expect(answer.status, range).toBe(206);
      expect(answer.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      expect(Buffer.from(await answer.arrayBuffer()).equals(archive.bytes.subarray(start, end + 1)), range).toBe(true);
    }
    const whole = await fetch(`${b.url}/api/backups/${backupId}`, { headers: { authorization: `Bearer ${device.deviceToken}` } });
    expect(whole.status).toBe(200);
    expect(Number(whole.headers.get('content-length'))).toBe(size);
    expect(Buffer.from(await whole.arrayBuffer()).equals(archive.bytes)).toBe(true);
    // Deleted through B: gone for A too, with its parts.
    const deleted = await fetch(`${b.url}/api/backups/${backupId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${device.deviceToken}` },
    });
    expect(deleted.status).toBe(204);
    const gone = await fetch(`${a.url}/api/backups/${backupId}`, { headers: { authorization: `Bearer ${device.deviceToken}` } });
    expect(gone.status).toBe(404);
    expect(await backupStorage(a).archive(device.accountId, backupId)).toBeUndefined();
  });

  it('lets one of two PATCHes to one upload on two instances write; the other is refused and no byte is corrupted', async () => {
    const device = await createAccount(a.url);
    const archive = opaqueArchive(256 * 1024);
    const backupId = randomUUID();
    const onA = new TusTestClient(a.url, device.deviceToken);
    expect((await onA.create(archive.bytes.length, { backupId, sha256: archive.sha256 })).status).toBe(201);
    const id = onA.url?.split('/').pop() ?? '';

    // A's PATCH sends its first 16 KiB and then waits, holding the upload's lock.
    let sendRest: () => void = () => undefined;
    const restMay = new Promise<void>((resolve) => {
      sendRest = resolve;
    });
    let sent = 0;
    const slowBody = new ReadableStream<Uint8Array>({
      async pull(stream) {
        if (sent === 16 * 1024) await restMay;
        if (sent >= archive.bytes.length) return stream.close();
        const piece = archive.bytes.subarray(sent, sent + 16 * 1024);
        sent += piece.length;
        stream.enqueue(new Uint8Array(piece));
      },
    });
    const slow = fetch(`${a.url}${onA.url}`, {
      method: 'PATCH',
      headers: {
        'tus-resumable': '1.0.0',
        authorization: `Bearer ${device.deviceToken}`,
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      body: slowBody,
      duplex: 'half',
    } as RequestInit).then(
      (response) => response.status,
      () => 'cut' as const, // told to stop, the server may close the connection before the body is sent
    );
    await eventually(() => uploadLocked(id), Boolean, 5_000, 'instance A holding the upload lock');

    // B's PATCH of the same bytes at the same offset: B asks A to let go, A keeps what arrived,
    // and B, which now starts at the wrong offset, is refused (409; 423 had A not let go in time).
    const rival = await on(b, onA, device.deviceToken).patch(0, archive.bytes.subarray(0, 64 * 1024));
    expect([409, 423]).toContain(rival.status);
    sendRest();
    expect([204, 'cut']).toContain(await slow);
    expect(await uploadLocked(id)).toBe(false);

    // Both instances report the same offset, and the bytes up to it are the source's.
    const offsetOnA = Number((await onA.offset()).headers.get('upload-offset'));
    const offsetOnB = Number((await on(b, onA, device.deviceToken).offset()).headers.get('upload-offset'));
    expect(offsetOnB).toBe(offsetOnA);
    expect(offsetOnA).toBeGreaterThanOrEqual(16 * 1024);
    expect(offsetOnA).toBeLessThan(archive.bytes.length);
    const last = await on(b, onA, device.deviceToken).patch(offsetOnA, archive.bytes.subarray(offsetOnA));
    expect(last.status).toBe(200); // the SHA-256 of everything stored matched the declared one
    const stored = await fetch(`${a.url}/api/backups/${backupId}`, { headers: { authorization: `Bearer ${device.deviceToken}` } });
    expect(Buffer.from(await stored.arrayBuffer()).equals(archive.bytes)).toBe(true);
  });

  it('stores only one of two uploads that each fit the quota alone but not together, sent to two instances at once', async () => {
    const device = await createAccount(a.url);
    const archives = [opaqueArchive(5 * MiB, 1), opaqueArchive(5 * MiB, 2)];
    // Both bodies start before either ends, so both pass the check made before reading; only
    // the commit, serialised across instances, can tell that the second no longer fits.
    const uploads = [a, b].map((server, i) => slowUpload(server, device.deviceToken, archives[i] as (typeof archives)[0]));
    await eventually(
      () => backupStorage(a).accountFiles(device.accountId),
      (files) => files.filter((name) => name.endsWith('.partial')).length === 2,
      5_000,
      'both uploads arriving',
    );
    for (const upload of uploads) upload.finish();
    const statuses = (await Promise.all(uploads.map((upload) => upload.status))).sort();
    expect(statuses).toEqual([201, 413]);
    const listed = await list(b, device.deviceToken);
    expect(listed.backups).toHaveLength(1);
    expect(await backupStorage(a).accountFiles(device.accountId)).toEqual([`${listed.backups[0]?.id}.gz`]);
  });

  it('cleans up an upload abandoned on one instance from the other, and expires it for both', async () => {
    const device = await createAccount(a.url);
    const archive = opaqueArchive(64 * 1024);
    const onA = new TusTestClient(a.url, device.deviceToken);
    expect((await onA.create(archive.bytes.length, { backupId: randomUUID(), sha256: archive.sha256 })).status).toBe(201);
    expect((await onA.patch(0, archive.bytes.subarray(0, 1000))).status).toBe(204);
    const sweeper = await startTestServer({
      sharedSchema: schema,
      env: { BACKUP_EXPIRY_SECONDS: '1', BACKUP_CLEANUP_INTERVAL_SECONDS: '1' },
    });
    try {
      await eventually(
        () => backupStorage(sweeper).tusUploads(device.accountId),
        (ids) => ids.length === 0,
        10_000,
        'the upload expired',
      );
      expect([404, 410]).toContain((await on(b, onA, device.deviceToken).offset()).status);
    } finally {
      await sweeper.dispose();
    }
  });
});
