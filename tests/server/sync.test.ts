import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkSamples } from '../../src/shared/samples';
import { encodeBatch } from '../../src/shared/sync/batch-codec';
import type { ReadingsResponse } from '../../src/shared/sync/protocol';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, joinAccount, pull, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

const T0 = Date.UTC(2026, 10, 2, 7, 0, 0);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

async function readings(token: string, from: number, to: number): Promise<ReadingsResponse> {
  const query = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  const response = await fetch(`${server.url}/api/readings?${query}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as ReadingsResponse;
}

describe('batch upload', () => {
  it('stores every sample once and answers a replay with the first answer, writing nothing', async () => {
    const device = await createAccount(server.url);
    const samples = syntheticSamples(T0, 150);
    const batch = { header: {}, chunks: toChunks(samples), docs: [{ kind: 'checkin' as const, id: 'c1', body: { fatigue: 2 } }] };
    const first = await uploadBatch(server.url, device.deviceToken, batch);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ batchId: first.batchId, records: 4, created: 4, unchanged: 0, merged: 0, replaced: 0 });

    const replay = await uploadBatch(server.url, device.deviceToken, batch, first.batchId);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);

    const stored = await readings(device.deviceToken, T0, T0 + 3_600_000);
    expect(stored.readings).toHaveLength(150);
    expect(stored.readings.map((r) => r.bpm)).toEqual(samples.map((s) => s.bpm));
    expect(stored.readings.map((r) => r.intervalsMs)).toEqual(samples.map((s) => s.intervalsMs));
    expect(stored.readings[0]).toMatchObject({
      t: new Date(T0).toISOString(),
      contact: true,
      intervalKind: 'rr',
      sourceId: 'armband-1',
      demo: false,
    });
  });

  it('answers 409 for a batch id reused with different content', async () => {
    const device = await createAccount(server.url);
    const first = await uploadBatch(server.url, device.deviceToken, { header: {}, chunks: toChunks(syntheticSamples(T0, 10)), docs: [] });
    const reused = await uploadBatch(
      server.url,
      device.deviceToken,
      { header: {}, chunks: toChunks(syntheticSamples(T0, 11)), docs: [] },
      first.batchId,
    );
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('BATCH_ID_REUSED');
    expect((await readings(device.deviceToken, T0, T0 + 60_000)).readings).toHaveLength(10);
  });

  it('is idempotent by record: a new batch with records already stored leaves them, and merges grown chunks', async () => {
    const device = await createAccount(server.url);
    const samples = syntheticSamples(T0, 90);
    await uploadBatch(server.url, device.deviceToken, { header: {}, chunks: toChunks(samples.slice(0, 70)), docs: [] });
    const again = await uploadBatch(server.url, device.deviceToken, { header: {}, chunks: toChunks(samples), docs: [] });
    // minute 1 (samples 0–59) unchanged; minute 2 held 10 samples and now gets 30: merged
    expect(again.body).toMatchObject({ records: 2, created: 0, unchanged: 1, merged: 1 });
    const stored = await readings(device.deviceToken, T0, T0 + 3_600_000);
    expect(stored.readings.map((r) => Date.parse(r.t))).toEqual(samples.map((s) => s.t));
  });

  it('replaces documents in server order: the last edit wins', async () => {
    const device = await createAccount(server.url);
    const other = await joinAccount(server.url, device);
    await uploadBatch(server.url, device.deviceToken, {
      header: {},
      chunks: [],
      docs: [{ kind: 'checkin', id: 'day-1', body: { fatigue: 1 } }],
    });
    const edit = await uploadBatch(server.url, device.deviceToken, {
      header: {},
      chunks: [],
      docs: [{ kind: 'checkin', id: 'day-1', body: { fatigue: 3 } }],
    });
    expect(edit.body).toMatchObject({ replaced: 1, created: 0 });
    const page = await pull(server.url, other.deviceToken);
    expect(page.docs).toEqual([{ kind: 'checkin', id: 'day-1', body: { fatigue: 3 } }]);
  });

  it.each([
    ['not gzip', () => new Uint8Array([1, 2, 3]), 'gzip'],
    ['wrong magic', () => zlib.gzipSync(Buffer.from('hello world')), 'magic'],
    [
      'a truncated column',
      () => {
        const bytes = encodeBatch({ header: {}, chunks: toChunks(syntheticSamples(T0, 5)), docs: [] });
        return zlib.gzipSync(bytes.subarray(0, bytes.length - 3));
      },
      'chunks[0].intervalsMs',
    ],
    [
      'a bad heart rate',
      () => {
        const [chunk] = toChunks(syntheticSamples(T0, 5));
        if (!chunk) throw new Error('no chunk');
        chunk.bpm[2] = 0;
        return zlib.gzipSync(encodeBatch({ header: {}, chunks: [chunk], docs: [] }));
      },
      'chunks[0].bpm[2]',
    ],
    [
      'an unknown document kind',
      () => zlib.gzipSync(encodeBatch({ header: {}, chunks: [], docs: [{ kind: 'nope' as 'checkin', id: 'x', body: {} }] })),
      'docs[0].kind',
    ],
    [
      'a document only the server may write',
      () => zlib.gzipSync(encodeBatch({ header: {}, chunks: [], docs: [{ kind: 'message', id: 'm1', body: { text: 'hi' } }] })),
      'docs[0].kind',
    ],
  ])('rejects a batch with %s whole, naming the field', async (_name, make, field) => {
    const device = await createAccount(server.url);
    const result = await uploadBatch(server.url, device.deviceToken, { raw: new Uint8Array(make()) });
    expect(result.status).toBe(400);
    expect(String(result.body.message)).toContain(field);
    expect((await readings(device.deviceToken, T0, T0 + 60_000)).readings).toHaveLength(0);
  });

  it('requires a device token and the batch media type', async () => {
    const bytes = zlib.gzipSync(encodeBatch({ header: {}, chunks: [], docs: [] }));
    const anonymous = await fetch(`${server.url}/api/sync/batches/${randomUUID()}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.steady.batch+gzip' },
      body: bytes,
    });
    expect(anonymous.status).toBe(401);
    const device = await createAccount(server.url);
    const json = await fetch(`${server.url}/api/sync/batches/${randomUUID()}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${device.deviceToken}` },
      body: '{}',
    });
    expect(json.status).toBe(415);
    const badId = await fetch(`${server.url}/api/sync/batches/not-a-uuid`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.steady.batch+gzip', authorization: `Bearer ${device.deviceToken}` },
      body: bytes,
    });
    expect(badId.status).toBe(400);
  });
});

describe('pull', () => {
  it('pages through other devices’ changes in server order with an opaque cursor', async () => {
    const a = await createAccount(server.url);
    const b = await joinAccount(server.url, a);
    const samples = syntheticSamples(T0, 60 * 25); // 25 minute chunks
    const chunks = toChunks(samples);
    await uploadBatch(server.url, a.deviceToken, { header: {}, chunks: chunks.slice(0, 10), docs: [] });
    await uploadBatch(server.url, a.deviceToken, { header: {}, chunks: chunks.slice(10), docs: [] });

    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await pull(server.url, b.deviceToken, cursor, 7);
      pages++;
      seen.push(...page.chunks.flatMap((c) => chunkSamples(c).map((s) => s.t)));
      cursor = page.header.cursor;
      if (!page.header.more) break;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(samples.map((s) => s.t));
    // Nothing new: the cursor stays put and the page is empty.
    const empty = await pull(server.url, b.deviceToken, cursor);
    expect(empty.chunks).toHaveLength(0);
    expect(empty.header).toEqual({ cursor, more: false });
    // A device does not get its own uploads back.
    expect((await pull(server.url, a.deviceToken)).chunks).toHaveLength(0);
  });

  it('keeps accounts apart and rejects a forged cursor', async () => {
    const a = await createAccount(server.url);
    const stranger = await createAccount(server.url);
    await uploadBatch(server.url, a.deviceToken, { header: {}, chunks: toChunks(syntheticSamples(T0, 30)), docs: [] });
    expect((await pull(server.url, stranger.deviceToken)).chunks).toHaveLength(0);
    expect((await readings(stranger.deviceToken, T0, T0 + 60_000)).readings).toHaveLength(0);
    const forged = await fetch(`${server.url}/api/sync/changes?cursor=bm9wZQ`, {
      headers: { authorization: `Bearer ${stranger.deviceToken}` },
    });
    expect(forged.status).toBe(400);
  });
});

describe('readings', () => {
  it('validates the range', async () => {
    const device = await createAccount(server.url);
    const get = (query: string) =>
      fetch(`${server.url}/api/readings?${query}`, { headers: { authorization: `Bearer ${device.deviceToken}` } });
    expect((await get('from=yesterday&to=today')).status).toBe(400);
    expect((await get(`from=${new Date(T0).toISOString()}`)).status).toBe(400);
    expect((await get(`from=${new Date(T0).toISOString()}&to=${new Date(T0 - 1000).toISOString()}`)).status).toBe(400);
    expect((await get(`from=${new Date(T0).toISOString()}&to=${new Date(T0 + 8 * 86_400_000).toISOString()}`)).status).toBe(400);
  });
});

describe('server-written documents', () => {
  it('reach every device of the account through pull, in server order', async () => {
    const { writeServerDoc } = await import('../../server/sync/server-docs');
    const { openDatabase } = await import('../../server/db/open');
    const a = await createAccount(server.url);
    const b = await joinAccount(server.url, a);
    const first = await pull(server.url, b.deviceToken);
    // The test opens the same database as the server, as an operator's CLI would.
    const database = await openDatabase(server.config);
    try {
      await writeServerDoc(database.db, a.accountId, 'message', 'msg-1', { text: 'How was your week?', from: 'Care team' });
    } finally {
      await database.close();
    }
    for (const token of [a.deviceToken, b.deviceToken]) {
      const page = await pull(server.url, token, token === b.deviceToken ? first.header.cursor : undefined);
      expect(page.docs).toEqual([{ kind: 'message', id: 'msg-1', body: { text: 'How was your week?', from: 'Care team' } }]);
    }
  });
});
