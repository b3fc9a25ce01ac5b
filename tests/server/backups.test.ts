import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKUP_ID_HEADER,
  BACKUP_MEDIA_TYPE,
  type BackupInfo,
  type ListBackupsResponse,
  SHA256_HEADER,
  type StoredBackupResponse,
} from '../../src/shared/backup';
import { ArchiveError, ArchiveReader, LineSplitter } from '../../src/shared/backup-archive';
import { Sha256 } from '../../src/shared/backup-sha256';
import { buildArchive, opaqueArchive, readArchive, sha256Hex } from '../helpers/backup-archive';
import { backupStorage } from '../helpers/backup-storage';
import { TusTestClient } from '../helpers/backup-tus';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, joinAccount, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

const T0 = Date.UTC(2026, 10, 2, 7, 0, 0);
const LIMIT = 256 * 1024;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { BACKUP_MAX_BYTES: String(LIMIT) } });
});
afterAll(async () => {
  await server.dispose();
});

function post(token: string, bytes: Uint8Array, sha256: string, id: string = randomUUID()) {
  return fetch(`${server.url}/api/backups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': BACKUP_MEDIA_TYPE, [SHA256_HEADER]: sha256, [BACKUP_ID_HEADER]: id },
    body: new Uint8Array(bytes),
  });
}

async function list(token: string): Promise<ListBackupsResponse> {
  const response = await fetch(`${server.url}/api/backups`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as ListBackupsResponse;
}

function download(token: string, id: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/backups/${id}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
}

/** What the account's storage holds (disk or Postgres: tests/helpers/backup-storage.ts). */
const accountFiles = (accountId: string) => backupStorage(server).accountFiles(accountId);

describe('direct upload (the Background Fetch path)', () => {
  it('stores an archive whose SHA-256 matches, lists it, and answers a retry with the stored one', async () => {
    const device = await createAccount(server.url);
    const archive = buildArchive(toChunks(syntheticSamples(T0, 600)));
    const id = randomUUID();
    const first = await post(device.deviceToken, archive.bytes, archive.sha256, id);
    expect(first.status).toBe(201);
    const { removed, ...info } = (await first.json()) as StoredBackupResponse;
    expect(removed).toEqual([]);
    expect(info).toMatchObject({ id, kind: 'upload', bytes: archive.bytes.length, sha256: archive.sha256, deviceId: device.deviceId });
    expect(sha256Hex((await backupStorage(server).archive(device.accountId, id)) ?? Buffer.alloc(0))).toBe(archive.sha256);

    const retry = await post(device.deviceToken, archive.bytes, archive.sha256, id);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ...info, removed: [] });
    const reused = await post(device.deviceToken, buildArchive([]).bytes, buildArchive([]).sha256, id);
    expect(reused.status).toBe(409);

    const listed = await list(device.deviceToken);
    expect(listed.backups).toEqual([info]);
    expect(listed.maxBytes).toBe(LIMIT);
    expect(await accountFiles(device.accountId)).toEqual([`${id}.gz`]);
  });

  it('refuses an archive that does not match its declared SHA-256 (422) and keeps nothing', async () => {
    const device = await createAccount(server.url);
    const archive = buildArchive(toChunks(syntheticSamples(T0, 300)));
    const response = await post(device.deviceToken, archive.bytes, sha256Hex(Buffer.from('something else')));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect((await list(device.deviceToken)).backups).toEqual([]);
    expect(await accountFiles(device.accountId)).toEqual([]);
  });

  it.each([
    ['a missing checksum', { [SHA256_HEADER]: '' }, 400, SHA256_HEADER],
    ['a bad backup id', { [BACKUP_ID_HEADER]: 'nope' }, 400, BACKUP_ID_HEADER],
    ['another media type', { 'content-type': 'application/octet-stream' }, 415, BACKUP_MEDIA_TYPE],
  ])('answers %s with an error naming it', async (_name, override, status, named) => {
    const device = await createAccount(server.url);
    const archive = buildArchive([]);
    const response = await fetch(`${server.url}/api/backups`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${device.deviceToken}`,
        'content-type': BACKUP_MEDIA_TYPE,
        [SHA256_HEADER]: archive.sha256,
        [BACKUP_ID_HEADER]: randomUUID(),
        ...override,
      },
      body: new Uint8Array(archive.bytes),
    });
    expect(response.status).toBe(status);
    expect(String(((await response.json()) as { message: string }).message)).toContain(named);
  });

  it('answers 413 for an archive over BACKUP_MAX_BYTES, announced or not, and keeps nothing', async () => {
    const device = await createAccount(server.url);
    const big = opaqueArchive(LIMIT + 1);
    const announced = await post(device.deviceToken, big.bytes, big.sha256);
    expect(announced.status).toBe(413);
    expect(await announced.json()).toMatchObject({ code: 'BACKUP_TOO_LARGE' });

    // Chunked, no Content-Length: refused once the limit is crossed mid-body.
    const streamed = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${server.url}/api/backups`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${device.deviceToken}`,
          'content-type': BACKUP_MEDIA_TYPE,
          [SHA256_HEADER]: big.sha256,
          [BACKUP_ID_HEADER]: randomUUID(),
          'transfer-encoding': 'chunked',
        },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      let offset = 0;
      const pump = () => {
        while (offset < big.bytes.length) {
          const piece = big.bytes.subarray(offset, offset + 16 * 1024);
          offset += piece.length;
          if (!request.write(piece)) return void request.once('drain', pump);
        }
        request.end();
      };
      pump();
    });
    expect(streamed).toBe(413);
    await sleep(50);
    expect(await accountFiles(device.accountId)).toEqual([]);
  });
  it('cancels an upload in flight on request: the upload is answered 409 and nothing is kept', async () => {
    const device = await createAccount(server.url);
    const archive = opaqueArchive(LIMIT - 1);
    const id = randomUUID();
    const request = http.request(`${server.url}/api/backups`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${device.deviceToken}`,
        'content-type': BACKUP_MEDIA_TYPE,
        [SHA256_HEADER]: archive.sha256,
        [BACKUP_ID_HEADER]: id,
        'content-length': String(archive.bytes.length),
      },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let body = '';
        response.on('data', (piece) => {
          body += piece;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
    });
    request.write(archive.bytes.subarray(0, 1000));
    const cancel = () =>
      fetch(`${server.url}/api/backups/${id}/upload`, { method: 'DELETE', headers: { authorization: `Bearer ${device.deviceToken}` } });
    await expect.poll(async () => (await cancel()).status).toBe(204);
    const { status, body } = await answered;
    request.destroy();
    expect(status).toBe(409);
    expect(body).toContain('UPLOAD_CANCELLED');
    expect((await cancel()).status).toBe(404);
    expect(await accountFiles(device.accountId)).toEqual([]);
  });
});

describe('downloads', () => {
  it('streams a stored archive whole or by Range, with If-Range, and 416 past the end', async () => {
    const device = await createAccount(server.url);
    const archive = opaqueArchive(100_000);
    const id = randomUUID();
    expect((await post(device.deviceToken, archive.bytes, archive.sha256, id)).status).toBe(201);

    const whole = await download(device.deviceToken, id);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('etag')).toBe(`"${archive.sha256}"`);
    expect(Buffer.from(await whole.arrayBuffer()).equals(archive.bytes)).toBe(true);

    const middle = await download(device.deviceToken, id, { range: 'bytes=1000-1999' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 1000-1999/${archive.bytes.length}`);
    expect(Buffer.from(await middle.arrayBuffer()).equals(archive.bytes.subarray(1000, 2000))).toBe(true);

    const rest = await download(device.deviceToken, id, { range: 'bytes=60000-', 'if-range': `"${archive.sha256}"` });
    expect(rest.status).toBe(206);
    expect(Buffer.from(await rest.arrayBuffer()).equals(archive.bytes.subarray(60000))).toBe(true);

    const suffix = await download(device.deviceToken, id, { range: 'bytes=-10' });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(archive.bytes.subarray(-10))).toBe(true);

    const changed = await download(device.deviceToken, id, { range: 'bytes=60000-', 'if-range': '"another"' });
    expect(changed.status).toBe(200);
    expect((await changed.arrayBuffer()).byteLength).toBe(archive.bytes.length);

    const past = await download(device.deviceToken, id, { range: `bytes=${archive.bytes.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${archive.bytes.length}`);
  });

  it('keeps accounts apart: another account lists nothing and gets 404 for the id', async () => {
    const owner = await createAccount(server.url);
    const stranger = await createAccount(server.url);
    const archive = buildArchive([]);
    const id = randomUUID();
    expect((await post(owner.deviceToken, archive.bytes, archive.sha256, id)).status).toBe(201);
    expect((await download(stranger.deviceToken, id)).status).toBe(404);
    expect((await list(stranger.deviceToken)).backups).toEqual([]);
    // The same id is free in another account, and stays separate.
    const theirs = buildArchive(toChunks(syntheticSamples(T0, 5)));
    expect((await post(stranger.deviceToken, theirs.bytes, theirs.sha256, id)).status).toBe(201);
    expect(sha256Hex(Buffer.from(await (await download(owner.deviceToken, id)).arrayBuffer()))).toBe(archive.sha256);
    // A device of the same account sees it.
    const second = await joinAccount(server.url, owner);
    expect((await download(second.deviceToken, id)).status).toBe(200);
    expect((await fetch(`${server.url}/api/backups`)).status).toBe(401);
  });

  it('exports the account’s synced records as a streamed archive, and as a stored one with a checksum', async () => {
    const device = await createAccount(server.url);
    const chunks = toChunks(syntheticSamples(T0, 60 * 30));
    const docs = [{ kind: 'checkin' as const, id: 'c1', body: { fatigue: 3 } }];
    expect((await uploadBatch(server.url, device.deviceToken, { header: {}, chunks, docs })).status).toBe(201);

    const streamed = await fetch(`${server.url}/api/backups/export`, { headers: { authorization: `Bearer ${device.deviceToken}` } });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toBe(BACKUP_MEDIA_TYPE);
    const live = readArchive(Buffer.from(await streamed.arrayBuffer()));
    expect(live.header).toMatchObject({ source: 'server', accountId: device.accountId });
    expect(live.counts).toEqual({ chunks: 30, gaps: 0, docs: 1 });
    const byId = new Map(live.records.map((r) => [r.data.id, r]));
    for (const chunk of chunks) expect(byId.get(chunk.id)?.data).toEqual(chunk);

    const stored = await fetch(`${server.url}/api/backups/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device.deviceToken}` },
    });
    expect(stored.status).toBe(201);
    const info = (await stored.json()) as BackupInfo;
    expect(info.kind).toBe('export');
    const bytes = Buffer.from(await (await download(device.deviceToken, info.id)).arrayBuffer());
    expect(sha256Hex(bytes)).toBe(info.sha256);
    expect(readArchive(bytes).counts).toEqual({ chunks: 30, gaps: 0, docs: 1 });
  });
});

describe('tus resumable uploads', () => {
  const CHUNK = 64 * 1024;

  it('resumes from the server’s offset after the connection is cut and the server restarts; never starts over', async () => {
    const big = await startTestServer();
    try {
      const device = await createAccount(big.url);
      const archive = opaqueArchive(5 * CHUNK + 1234);
      const backupId = randomUUID();
      const client = new TusTestClient(big.url, device.deviceToken);
      const created = await client.create(archive.bytes.length, { backupId, sha256: archive.sha256 });
      expect(created.status).toBe(201);
      expect((await client.patch(0, archive.bytes.subarray(0, CHUNK))).status).toBe(204);

      // Half of the second chunk goes out, then the connection is cut and the server restarted.
      await client.patchCutAfter(CHUNK, archive.bytes.subarray(CHUNK, 2 * CHUNK), CHUNK / 2, () => sleep(300));
      const restarted = await big.restart();
      expect(restarted.url).toBe(big.url);

      const head = await client.offset();
      expect(head.status).toBe(200);
      let offset = Number(head.headers.get('upload-offset'));
      expect(offset).toBeGreaterThanOrEqual(CHUNK);
      expect(offset).toBeLessThanOrEqual(CHUNK + CHUNK / 2);
      let last: Response | null = null;
      while (offset < archive.bytes.length) {
        last = await client.patch(offset, archive.bytes.subarray(offset, offset + CHUNK));
        offset = Number(last.headers.get('upload-offset'));
        // 204 until the last PATCH, which answers 200 with the stored backup.
        expect(last.status).toBe(offset < archive.bytes.length ? 204 : 200);
      }
      expect(last?.headers.get('x-steady-backup-id')).toBe(backupId);
      expect(await last?.json()).toMatchObject({ id: backupId, sha256: archive.sha256, removed: [] });
      expect(client.sent).toBeLessThanOrEqual(archive.bytes.length + CHUNK);

      const listed = (await (
        await fetch(`${restarted.url}/api/backups`, { headers: { authorization: `Bearer ${device.deviceToken}` } })
      ).json()) as ListBackupsResponse;
      expect(listed.backups).toEqual([expect.objectContaining({ id: backupId, sha256: archive.sha256, bytes: archive.bytes.length })]);
      // A client that resumes a finished upload is told it is complete.
      expect(Number((await client.offset()).headers.get('upload-offset'))).toBe(archive.bytes.length);
      await restarted.dispose();
    } catch (error) {
      await big.dispose().catch(() => undefined);
      throw error;
    }
  });

  it('deletes an upload whose bytes do not match the declared SHA-256, answering 422', async () => {
    const device = await createAccount(server.url);
    const archive = opaqueArchive(10_000);
    const client = new TusTestClient(server.url, device.deviceToken);
    expect((await client.create(archive.bytes.length, { backupId: randomUUID(), sha256: sha256Hex(Buffer.from('x')) })).status).toBe(201);
    const response = await client.patch(0, archive.bytes);
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('CHECKSUM_MISMATCH');
    expect((await client.offset()).status).toBe(404);
    expect((await list(device.deviceToken)).backups).toEqual([]);
  });

  it('refuses creation without valid metadata, over the size limit, and another account’s upload', async () => {
    const device = await createAccount(server.url);
    const client = new TusTestClient(server.url, device.deviceToken);
    expect((await client.create(100, { backupId: 'x', sha256: 'y' })).status).toBe(400);
    expect((await client.create(LIMIT + 1, { backupId: randomUUID(), sha256: sha256Hex(Buffer.from('z')) })).status).toBe(413);
    expect((await client.create(100, { backupId: randomUUID(), sha256: sha256Hex(Buffer.from('z')) })).status).toBe(201);
    const stranger = new TusTestClient(server.url, (await createAccount(server.url)).deviceToken);
    stranger.url = client.url;
    expect((await stranger.offset()).status).toBe(404);
    expect((await stranger.patch(0, Buffer.alloc(10))).status).toBe(404);
    const anonymous = await fetch(`${server.url}${client.url}`, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } });
    expect(anonymous.status).toBe(401);
  });

  it('expires abandoned partial uploads by their last write, and leftovers of cut direct uploads', async () => {
    const short = await startTestServer({ env: { BACKUP_EXPIRY_SECONDS: '1', BACKUP_CLEANUP_INTERVAL_SECONDS: '1' } });
    try {
      const device = await createAccount(short.url);
      const archive = opaqueArchive(3 * CHUNK);
      const client = new TusTestClient(short.url, device.deviceToken);
      await client.create(archive.bytes.length, { backupId: randomUUID(), sha256: archive.sha256 });
      expect((await client.patch(0, archive.bytes.subarray(0, CHUNK))).status).toBe(204);
      const storage = backupStorage(short);
      expect(await storage.tusUploads()).toHaveLength(1);
      await storage.plantPartial(device.accountId);
      expect(await storage.accountFiles(device.accountId)).toEqual(['crashed.partial']);
      await sleep(3_000);
      expect([404, 410]).toContain((await client.offset()).status);
      expect(await storage.tusUploads()).toEqual([]);
      expect(await storage.accountFiles(device.accountId)).toEqual([]);
    } finally {
      await short.dispose();
    }
  });
});

describe('archive codec and SHA-256, shared by the app and the server', () => {
  it('hashes like node:crypto however the bytes are split', () => {
    for (const size of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 200_003]) {
      const bytes = randomBytes(size);
      const hash = new Sha256();
      for (let i = 0; i < size; i += 1 + (i % 97)) hash.update(bytes.subarray(i, i + 1 + (i % 97)));
      expect(hash.hex()).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('reads back what it wrote, and names the field of a bad line', () => {
    const chunks = toChunks(syntheticSamples(T0, 200));
    const { records, counts } = readArchive(buildArchive(chunks).bytes);
    expect(records.map((r) => r.data)).toEqual(chunks);
    expect(counts).toEqual({ chunks: 4, gaps: 0, docs: 0 });

    const lines = zlib.gunzipSync(buildArchive(chunks).bytes).toString('utf8').split('\n');
    const read = (text: string) => {
      const reader = new ArchiveReader();
      const splitter = new LineSplitter();
      reader.read([...splitter.push(text), ...splitter.flush()]);
      return reader.finish();
    };
    expect(() => read(lines.slice(0, -2).join('\n'))).toThrow(/truncated/);
    expect(() => read(lines.join('\n').replace('"bpm":[', '"bpm":[0,'))).toThrow(ArchiveError);
    expect(() => read(lines.join('\n').replace('"bpm":[', '"bpm":[0,'))).toThrow(/data\.bpm\[0\]|one entry per sample/);
    expect(() => read(lines.slice(1).join('\n'))).toThrow(/header first/);
    expect(() => read(lines.join('\n').replace('"chunks":4', '"chunks":5'))).toThrow(/counts\.chunks/);
  });
});
