import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLines } from '../../server/backups/export';
import { openDatabase } from '../../server/db/open';
import { BatchPool } from '../../server/sync/batch-pool';
import { chunkToBody, sha256 } from '../../server/sync/record-codec';
import { CHUNK_LIMITS, MINUTE_MS, minuteStartOf, type SampleChunk } from '../../src/shared/samples';
import { BATCH_LIMITS, encodeBatch } from '../../src/shared/sync/batch-codec';
import { runSync, type SyncRunOptions } from '../../src/shared/sync/engine';
import {
  PULL_PAGE_BYTES,
  QUOTA_RECORDS,
  READINGS_PAGE_MAX_SAMPLES,
  READINGS_PAGE_SAMPLES,
  type ReadingsResponse,
} from '../../src/shared/sync/protocol';
import { MemorySyncStore } from '../helpers/memory-sync-store';
import { chunkHeads, rawBatch } from '../helpers/raw-batch';
import { startTestServer, type TestServer } from '../helpers/server';
import { serverReadings } from '../helpers/sync-assertions';
import { createAccount, joinAccount, pull, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

// Every minute over, so the engine sends every chunk.
const T0 = minuteStartOf(Date.now()) - 24 * 3600_000;
const T0_MINUTES = T0 / MINUTE_MS;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

/** The server still answers after each attack. */
async function expectHealthy(target = server): Promise<void> {
  const response = await fetch(`${target.url}/api/health`);
  expect(response.status).toBe(200);
}

function gz(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(zlib.gzipSync(bytes));
}

/** A minute at the limits: a reading every 100 ms, each with two intervals. */
function fullMinute(minuteStart: number, sourceId = 'armband-1', firstOffset = 0): SampleChunk {
  const chunk = toChunks(syntheticSamples(minuteStart, 1), sourceId)[0]!;
  return {
    ...chunk,
    offsets: Array.from({ length: CHUNK_LIMITS.samples }, (_, i) => firstOffset + i * 100),
    bpm: Array.from({ length: CHUNK_LIMITS.samples }, (_, i) => 60 + (i % 40)),
    contact: Array.from({ length: CHUNK_LIMITS.samples }, () => 1),
    intervalCounts: Array.from({ length: CHUNK_LIMITS.samples }, () => 2),
    intervalsMs: Array.from({ length: CHUNK_LIMITS.intervals }, (_, i) => 700 + (i % 300)),
  };
}

describe('hostile uploads answer 4xx naming the field, and the server carries on', () => {
  it('refuses a tiny upload declaring millions of samples, without allocating them', async () => {
    const device = await createAccount(server.url);
    const heads = chunkHeads(BATCH_LIMITS.chunks, T0_MINUTES, CHUNK_LIMITS.samples, CHUNK_LIMITS.intervals);
    const body = gz(rawBatch({ sources: ['a'], chunkCount: heads.length }, heads.slice(0, 60)));
    expect(body.length).toBeLessThan(500);
    const answer = await uploadBatch(server.url, device.deviceToken, { raw: body });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'MALFORMED_BATCH' });
    expect(answer.body.message).toMatch(/^batch rejected: header\.chunkCount: 5000 chunks cannot fit/);
    await expectHealthy();
  });

  it('refuses a minute of 60,000 samples, naming the chunk', async () => {
    const device = await createAccount(server.url);
    const body = gz(
      rawBatch({ sources: ['a'], chunkCount: 1 }, chunkHeads(1, T0_MINUTES, MINUTE_MS, 0), (out) => {
        for (let i = 0; i < MINUTE_MS * 4; i++) out.uint(i < MINUTE_MS ? 1 : 0);
      }),
    );
    const answer = await uploadBatch(server.url, device.deviceToken, { raw: body });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      `batch rejected: chunks[0].samples: ${MINUTE_MS} samples in a minute; at most ${CHUNK_LIMITS.samples}`,
    );
    await expectHealthy();
  });

  it('refuses a document nested 100,000 deep with a 400, not a 500', async () => {
    const device = await createAccount(server.url);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const header = `{"sources":[],"chunkCount":0,"docs":[{"kind":"checkin","id":"a","body":{"x":${deep}}}]}`;
    const answer = await uploadBatch(server.url, device.deviceToken, { raw: gz(rawBatch(header)) });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(`batch rejected: header: JSON nested deeper than ${BATCH_LIMITS.jsonDepth} levels`);
    await expectHealthy();
  });

  it('refuses a huge interval list merged into a stored minute, keeping what was stored', async () => {
    const device = await createAccount(server.url);
    const stored = toChunks(syntheticSamples(T0, 60));
    expect((await uploadBatch(server.url, device.deviceToken, { header: {}, chunks: stored, docs: [] })).status).toBe(201);
    // The same minute again, one sample carrying 200,000 intervals (the old merge spread them into push: a 500).
    const huge = 200_000;
    const body = gz(
      rawBatch({ sources: ['armband-1'], chunkCount: 1 }, chunkHeads(1, T0_MINUTES, 1, huge), (out) => {
        out.int(500); // offset
        out.int(70); // bpm
        out.int(1); // contact
        out.uint(huge); // intervalCounts
        for (let i = 0; i < huge; i++) out.int(i === 0 ? 800 : 0);
      }),
    );
    const answer = await uploadBatch(server.url, device.deviceToken, { raw: body });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      `batch rejected: chunks[0].intervals: ${huge} intervals in a minute; at most ${CHUNK_LIMITS.intervals}`,
    );
    // Within the per-chunk limits, but past them once merged with what is stored: refused whole, nothing lost.
    const full = fullMinute(T0 + MINUTE_MS, 'armband-1', 1);
    expect((await uploadBatch(server.url, device.deviceToken, { header: {}, chunks: [full], docs: [] })).status).toBe(201);
    const other = fullMinute(T0 + MINUTE_MS, 'armband-1', 2);
    const merged = await uploadBatch(server.url, device.deviceToken, { header: {}, chunks: [other], docs: [] });
    expect(merged.status).toBe(400);
    expect(merged.body.message).toMatch(
      /^batch rejected: chunks\[0\]: with the samples stored already this minute would hold 1200 samples/,
    );
    const readings = await serverReadings(server.url, device.deviceToken, T0, T0 + 2 * MINUTE_MS);
    expect(readings).toHaveLength(60 + CHUNK_LIMITS.samples);
    await expectHealthy();
  });
});

describe('minutes stored before the limits', () => {
  it('refuses a merge into one with a 400 naming the chunk, and keeps it', async () => {
    const device = await createAccount(server.url);
    // Stored as an older server accepted it: 900 samples in the minute, written straight into the database.
    const legacy = {
      ...fullMinute(T0),
      offsets: [] as number[],
      bpm: [] as number[],
      contact: [] as number[],
      intervalCounts: [] as number[],
    };
    for (let i = 0; i < 900; i++) {
      legacy.offsets.push(i * 60);
      legacy.bpm.push(70);
      legacy.contact.push(1);
      legacy.intervalCounts.push(i < 600 ? 2 : 0);
    }
    const body = chunkToBody(legacy);
    const database = await openDatabase(server.config);
    try {
      await database.db
        .insertInto('sync_records')
        .values({
          account_id: device.accountId,
          kind: 'chunk',
          record_id: legacy.id,
          seq: 1,
          device_id: device.deviceId,
          t: legacy.minuteStart,
          body,
          body_hash: sha256(body),
          updated_at: new Date().toISOString(),
        })
        .execute();
    } finally {
      await database.close();
    }
    const answer = await uploadBatch(server.url, device.deviceToken, {
      header: {},
      chunks: toChunks(syntheticSamples(T0 + 30, 10)),
      docs: [],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(
      /^batch rejected: chunks\[0\]: the minute stored already cannot be merged \(chunks\[0\]\.samples: 900 samples/,
    );
    const reopened = await openDatabase(server.config);
    try {
      const rows = await reopened.db.selectFrom('sync_records').select('body').where('account_id', '=', device.accountId).execute();
      expect(rows).toEqual([{ body }]);
    } finally {
      await reopened.close();
    }
    await expectHealthy();
  });
});

describe('the decoding pool', () => {
  it('turns uploads away once its threads and queue are taken, and decodes the rest', async () => {
    const pool = new BatchPool({ threads: 1, queue: 1 });
    try {
      const body = gz(encodeBatch({ header: {}, chunks: toChunks(syntheticSamples(T0, 600)), docs: [] }));
      const answers = await Promise.all(Array.from({ length: 6 }, () => pool.prepare(body)));
      // One thread and one queue slot: at most two at once, the others answered null (503 BUSY) at once.
      expect(answers.filter((a) => a === null).length).toBeGreaterThanOrEqual(4);
      for (const answer of answers) if (answer !== null) expect(answer).toMatchObject({ ok: true, records: expect.any(Array) });
      expect(await pool.prepare(body)).toMatchObject({ ok: true });
    } finally {
      await pool.close();
    }
  });
});

describe('answers stay bounded however much a valid account holds', () => {
  it('pages readings and pulls of a batch at the limits, losing nothing', async () => {
    const a = await createAccount(server.url);
    const b = await joinAccount(server.url, a);
    const minutes = BATCH_LIMITS.samples / CHUNK_LIMITS.samples;
    const chunks = Array.from({ length: minutes }, (_, i) => fullMinute(T0 + i * MINUTE_MS));
    expect((await uploadBatch(server.url, a.deviceToken, { header: {}, chunks, docs: [] })).status).toBe(201);
    // A second batch of as much: more than one pull page may carry.
    const later = chunks.map((c) => fullMinute(c.minuteStart + minutes * MINUTE_MS));
    expect((await uploadBatch(server.url, a.deviceToken, { header: {}, chunks: later, docs: [] })).status).toBe(201);

    // The request that once answered 151 MB: now one page of about READINGS_PAGE_SAMPLES.
    const query = new URLSearchParams({ from: new Date(T0).toISOString(), to: new Date(T0 + minutes * MINUTE_MS).toISOString() });
    const first = await fetch(`${server.url}/api/readings?${query}`, { headers: { authorization: `Bearer ${a.deviceToken}` } });
    const text = await first.text();
    const page = JSON.parse(text) as ReadingsResponse;
    expect(page.readings.length).toBeGreaterThanOrEqual(READINGS_PAGE_SAMPLES);
    expect(page.readings.length).toBeLessThan(READINGS_PAGE_SAMPLES + CHUNK_LIMITS.samples);
    expect(text.length).toBeLessThan(3 * 1024 * 1024);
    expect(page.next).toEqual(expect.any(String));
    const all = await serverReadings(server.url, a.deviceToken, T0, T0 + minutes * MINUTE_MS);
    expect(all).toHaveLength(BATCH_LIMITS.samples);
    expect(new Set(all.map((r) => r.t)).size).toBe(all.length);

    // The other device pulls it in pages bounded in bytes, each within what its decoder accepts.
    let cursor: string | undefined;
    let pulled = 0;
    let pages = 0;
    for (;;) {
      const response = await pull(server.url, b.deviceToken, cursor);
      pages++;
      pulled += response.chunks.length;
      const stored = response.chunks.reduce(
        (n, c) => n + Buffer.from(encodeBatch({ header: {}, chunks: [c], docs: [] })).toString('base64').length,
        0,
      );
      expect(stored).toBeLessThanOrEqual(PULL_PAGE_BYTES);
      cursor = response.header.cursor;
      if (!response.header.more) break;
    }
    expect(pulled).toBe(2 * minutes);
    expect(pages).toBe(2);
    await expectHealthy();
  });

  it('bounds a readings page even when one minute holds more samples than a page', async () => {
    // Forty armbands in one minute: more than anyone wears, but a stranger may upload it.
    const device = await createAccount(server.url);
    const sources = 40;
    const chunks = Array.from({ length: sources }, (_, i) => fullMinute(T0, `armband-${i}`));
    expect((await uploadBatch(server.url, device.deviceToken, { header: {}, chunks, docs: [] })).status).toBe(201);
    const query = new URLSearchParams({ from: new Date(T0).toISOString(), to: new Date(T0 + MINUTE_MS).toISOString() });
    const first = await fetch(`${server.url}/api/readings?${query}`, { headers: { authorization: `Bearer ${device.deviceToken}` } });
    expect(first.status).toBe(200);
    const page = (await first.json()) as ReadingsResponse;
    expect(page.readings.length).toBeLessThanOrEqual(READINGS_PAGE_MAX_SAMPLES);
    expect(page.next).toEqual(expect.any(String));
    // Every sample arrives once, across pages.
    const all = await serverReadings(server.url, device.deviceToken, T0, T0 + MINUTE_MS);
    expect(all).toHaveLength(sources * CHUNK_LIMITS.samples);
    expect(new Set(all.map((r) => `${r.sourceId}|${r.t}`)).size).toBe(all.length);
    await expectHealthy();
  });

  it('exports an account of full minutes in slices, letting other work in between', async () => {
    const device = await createAccount(server.url);
    const perBatch = BATCH_LIMITS.samples / CHUNK_LIMITS.samples;
    for (let batch = 0; batch < 2; batch++) {
      const chunks = Array.from({ length: perBatch }, (_, i) => fullMinute(T0 + (batch * perBatch + i) * MINUTE_MS));
      expect((await uploadBatch(server.url, device.deviceToken, { header: {}, chunks, docs: [] })).status).toBe(201);
    }
    // Turns of the event loop, counted while the export is built: minutes encoded between two turns are what a request waits for.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const minutesByTurn = new Map<number, number>();
    const database = await openDatabase(server.config);
    try {
      for await (const piece of exportLines(database.db, device.accountId, device.deviceId)) {
        const minutes = piece
          .toString()
          .split('\n')
          .filter((line) => line.startsWith('{"type":"chunk"')).length;
        minutesByTurn.set(turns, (minutesByTurn.get(turns) ?? 0) + minutes);
      }
    } finally {
      ticking = false;
      await database.close();
    }
    expect([...minutesByTurn.values()].reduce((a, b) => a + b, 0)).toBe(2 * perBatch);
    // One page of the database is 500 minutes; at the chunk limits that is ~0.5 s of work, now cut into slices.
    expect(Math.max(...minutesByTurn.values())).toBeLessThanOrEqual(50);
    await expectHealthy();
  });

  it('sends a worst-case valid outbox in batches the server accepts', async () => {
    const device = await createAccount(server.url);
    const store = new MemorySyncStore();
    const minutes = Math.ceil((BATCH_LIMITS.samples * 1.5) / CHUNK_LIMITS.samples);
    for (let i = 0; i < minutes; i++) store.recordChunk(fullMinute(T0 + i * MINUTE_MS));
    const entry = await runSync(engineOptions(store, device.deviceToken));
    expect(entry.outcome).toBe('ok');
    expect(entry.upRecords).toBe(minutes);
    expect(store.outbox.size).toBe(0);
    expect(store.attention.size).toBe(0);
    await expectHealthy();
  });
});

function engineOptions(store: MemorySyncStore, token: string, target = server, extra: Partial<SyncRunOptions> = {}): SyncRunOptions {
  return {
    store,
    fetch: (url, init) => fetch(url, init),
    baseUrl: target.url,
    token,
    trigger: 'page',
    compress: async (bytes) => new Uint8Array(zlib.gzipSync(bytes)),
    decompress: async (bytes) => new Uint8Array(zlib.gunzipSync(bytes)),
    newBatchId: randomUUID,
    ...extra,
  };
}

describe('the per-account record quota', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ env: { SYNC_MAX_RECORDS: '40' } });
  });
  afterAll(async () => {
    await small.dispose();
  });

  it('answers 507 QUOTA_RECORDS past it; the engine stops, keeps the outbox and does not spin', async () => {
    const device = await createAccount(small.url);
    const store = new MemorySyncStore();
    for (const chunk of toChunks(syntheticSamples(T0, 35 * 60))) store.recordChunk(chunk);
    expect((await runSync(engineOptions(store, device.deviceToken, small))).outcome).toBe('ok');

    // Ten more minutes: 45 records, past the 40 allowed.
    for (const chunk of toChunks(syntheticSamples(T0 + 35 * MINUTE_MS, 10 * 60))) store.recordChunk(chunk);
    let puts = 0;
    const counting: SyncRunOptions['fetch'] = (url, init) => {
      if (init?.method === 'PUT') puts++;
      return fetch(url, init);
    };
    const full = await runSync(engineOptions(store, device.deviceToken, small, { fetch: counting }));
    expect(full.outcome).toBe('server-full');
    expect(full.error).toMatch(/stores 35 records and this batch adds 10; the server keeps at most 40 per account/);
    expect(puts).toBe(1);
    expect(store.outbox.size).toBe(10);
    expect(store.inflight?.records).toBe(10);
    expect(store.attention.size).toBe(0);
    expect(await store.getRetryAt()).toBeNull();

    // An automatic run later: one attempt, the same answer, nothing lost or parked.
    const again = await runSync(engineOptions(store, device.deviceToken, small, { fetch: counting, trigger: 'periodicsync' }));
    expect(again.outcome).toBe('server-full');
    expect(puts).toBe(2);
    expect(store.outbox.size).toBe(10);

    const direct = await uploadBatch(small.url, device.deviceToken, {
      header: {},
      chunks: toChunks(syntheticSamples(T0 + 50 * MINUTE_MS, 6 * 60)),
      docs: [],
    });
    expect(direct.status).toBe(507);
    expect(direct.body).toMatchObject({ statusCode: 507, code: QUOTA_RECORDS, error: 'Insufficient Storage' });
    // Records already stored still go through (merges and replays add nothing).
    const replayed = await uploadBatch(small.url, device.deviceToken, { header: {}, chunks: toChunks(syntheticSamples(T0, 60)), docs: [] });
    expect(replayed.status).toBe(201);
    await expectHealthy(small);
  });
});
