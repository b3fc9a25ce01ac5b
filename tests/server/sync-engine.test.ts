import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateAccountResponse } from '../../src/shared/api';
import type { FetchLike } from '../../src/shared/http-client';
import { chunkSamples, type HeartRateSample, MINUTE_MS, minuteStartOf, type SampleChunk } from '../../src/shared/samples';
import { decodeBatch } from '../../src/shared/sync/batch-codec';
import { runSync, type SyncRunOptions } from '../../src/shared/sync/engine';
import type { SyncTrigger } from '../../src/shared/sync/sync-store';
import { MemorySyncStore } from '../helpers/memory-sync-store';
import { startTestServer, type TestServer } from '../helpers/server';
import { expectExactlySamples, serverReadings } from '../helpers/sync-assertions';
import { createAccount, joinAccount, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

// Data from three hours ago: every minute is over, so every chunk is ready to go.
const T0 = minuteStartOf(Date.now()) - 3 * 3600_000;
const MINUTES = 30;
const BATCH = 10; // records per batch: 30 chunks + 1 document make 4 batches

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

type RealFetch = () => Promise<Response>;
/** What the fault does with one request: answer it itself, or call the real fetch and then misbehave. */
type Fault = (real: RealFetch, url: string, init: Parameters<FetchLike>[1]) => Promise<Response>;

interface LoggedRequest {
  method: string;
  path: string;
  status: number | 'network-error';
  batchId?: string;
  /** The JSON answer of a PUT the client actually received. */
  answer?: Record<string, unknown>;
}

/**
 * node's fetch with faults scripted by request number among the PUTs (1-based), and a log of
 * every request and what came back.
 */
function faultyFetch(faults: Record<number, Fault> = {}) {
  const log: LoggedRequest[] = [];
  let puts = 0;
  const fetchFn: FetchLike = async (url, init) => {
    const method = init?.method ?? 'GET';
    const path = new URL(url).pathname;
    const entry: LoggedRequest = { method, path, status: 'network-error' };
    if (method === 'PUT') entry.batchId = path.split('/').pop();
    log.push(entry);
    const real = () => fetch(url, init);
    const fault = method === 'PUT' ? faults[++puts] : undefined;
    const response = await (fault ? fault(real, url, init) : real());
    entry.status = response.status;
    if (method === 'PUT' && response.ok) {
      entry.answer = (await response
        .clone()
        .json()
        .catch(() => undefined)) as Record<string, unknown> | undefined;
    }
    return response;
  };
  return { fetch: fetchFn, log, puts: () => log.filter((r) => r.method === 'PUT') };
}

const serverError: Fault = async () =>
  new Response(JSON.stringify({ statusCode: 500, code: 'INTERNAL', error: 'Internal Server Error', message: 'internal error' }), {
    status: 500,
    headers: { 'content-type': 'application/json' },
  });

/** The server commits and answers, but the answer never reaches the client. */
const lostAnswer: Fault = async (real) => {
  const response = await real();
  await response.arrayBuffer();
  throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
};

/** The server commits and the status arrives, but the connection dies before the body is through. */
const cutAnswer: Fault = async (real) => {
  const response = await real();
  const half = (await response.arrayBuffer()).slice(0, 20);
  const body = new ReadableStream<Uint8Array>({
    start(stream) {
      stream.enqueue(new Uint8Array(half));
      stream.error(new TypeError('terminated', { cause: new Error('other side closed') }));
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
};

const offline: Fault = async () => {
  throw new TypeError('fetch failed', { cause: new Error('connect ENETUNREACH') });
};

function options(store: MemorySyncStore, fetchFn: FetchLike, token: string, extra: Partial<SyncRunOptions> = {}): SyncRunOptions {
  return {
    store,
    fetch: fetchFn,
    baseUrl: server.url,
    token,
    trigger: 'page' as SyncTrigger,
    compress: async (bytes) => new Uint8Array(zlib.gzipSync(bytes)),
    decompress: async (bytes) => new Uint8Array(zlib.gunzipSync(bytes)),
    newBatchId: randomUUID,
    maxRecordsPerBatch: BATCH,
    ...extra,
  };
}

/** A device with half an hour recorded offline and one check-in, all queued. */
async function recordedDevice(seed = 1) {
  const device: CreateAccountResponse = await createAccount(server.url);
  const store = new MemorySyncStore();
  const samples = syntheticSamples(T0, MINUTES * 60, seed);
  for (const chunk of toChunks(samples)) store.recordChunk(chunk);
  store.saveDoc('checkin', `day-${seed}`, { fatigue: 2, note: 'tired' });
  return { device, store, samples };
}

async function expectServerHolds(token: string, samples: HeartRateSample[]): Promise<void> {
  expectExactlySamples(await serverReadings(server.url, token, T0 - MINUTE_MS, T0 + (MINUTES + 1) * MINUTE_MS), samples);
}

describe('sync engine against the real server, with faults', () => {
  it('carries on after the server answers 500, resending the same batch under the same id', async () => {
    const { device, store, samples } = await recordedDevice(1);
    const net = faultyFetch({ 2: serverError, 3: serverError });

    const first = await runSync(options(store, net.fetch, device.deviceToken));
    expect(first).toMatchObject({ outcome: 'retry-later', upRecords: BATCH });
    expect(first.error).toContain('HTTP 500');
    expect(store.inflight).not.toBeNull();
    expect(await store.outboxSize()).toBe(MINUTES + 1 - BATCH);

    const second = await runSync(options(store, net.fetch, device.deviceToken));
    expect(second.outcome).toBe('retry-later');
    const third = await runSync(options(store, net.fetch, device.deviceToken));
    expect(third).toMatchObject({ outcome: 'ok', upRecords: MINUTES + 1 - BATCH });

    const puts = net.puts();
    expect(puts.map((p) => p.status)).toEqual([201, 500, 500, 201, 201, 201]);
    // The refused batch went again byte for byte under its id; no batch was sent twice after success.
    expect(new Set([puts[1]?.batchId, puts[2]?.batchId, puts[3]?.batchId]).size).toBe(1);
    expect(new Set(puts.filter((p) => p.status === 201).map((p) => p.batchId)).size).toBe(4);
    expect(await store.outboxSize()).toBe(0);
    expect(store.inflight).toBeNull();
    await expectServerHolds(device.deviceToken, samples);
    expect(store.log.map((e) => e.outcome)).toEqual(['retry-later', 'retry-later', 'ok']);
  });

  it.each([
    ['before the status arrived', lostAnswer, 2, 'network-error'],
    ['halfway through the body', cutAnswer, 12, 201],
  ] as const)('replays a batch whose answer was lost %s after the server committed it: stored once', async (_name, fault, seed, seen) => {
    const { device, store, samples } = await recordedDevice(seed);
    const net = faultyFetch({ 2: fault });

    const first = await runSync(options(store, net.fetch, device.deviceToken));
    expect(first.outcome).toBe('offline');
    expect(first.upRecords).toBe(BATCH);
    expect(await store.outboxSize()).toBe(MINUTES + 1 - BATCH);

    const second = await runSync(options(store, net.fetch, device.deviceToken));
    expect(second.outcome).toBe('ok');
    const puts = net.puts();
    // The server answered 201 the first time (lost), then 200 with the same answer to the replay.
    expect(puts.map((p) => p.status)).toEqual([201, seen, 200, 201, 201]);
    expect(puts[2]?.batchId).toBe(puts[1]?.batchId);
    expect(puts[2]?.answer).toMatchObject({ records: BATCH, created: BATCH });
    expect(await store.outboxSize()).toBe(0);
    await expectServerHolds(device.deviceToken, samples);
  });

  it('recovers when the server is killed mid-batch and restarted on the same port', async () => {
    const { device, store, samples } = await recordedDevice(3);
    const url = server.url;
    const killMidUpload: Fault = async (_real, target, init) => {
      // Send the headers and half the body, then the server process goes away with the socket.
      const body = init?.body as Uint8Array;
      const controller = new AbortController();
      const half = new ReadableStream<Uint8Array>({
        start(stream) {
          stream.enqueue(body.subarray(0, body.length >> 1));
        },
      });
      const pending = fetch(target, { ...init, body: half, signal: controller.signal, duplex: 'half' } as RequestInit).catch(
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const restarting = server.restart();
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      await pending;
      server = await restarting;
      throw new TypeError('fetch failed', { cause: new Error('other side closed') });
    };
    const net = faultyFetch({ 2: killMidUpload });

    const first = await runSync(options(store, net.fetch, device.deviceToken));
    expect(first).toMatchObject({ outcome: 'offline', upRecords: BATCH });
    expect(server.url).toBe(url);

    const second = await runSync(options(store, net.fetch, device.deviceToken));
    expect(second.outcome).toBe('ok');
    const puts = net.puts();
    expect(puts.map((p) => p.status)).toEqual([201, 'network-error', 201, 201, 201]);
    expect(puts[2]?.batchId).toBe(puts[1]?.batchId);
    expect(await store.outboxSize()).toBe(0);
    await expectServerHolds(device.deviceToken, samples);
  });

  it('parks a batch the server refuses (400) with its reason, and still sends the other batches', async () => {
    const { device, store, samples } = await recordedDevice(4);
    // Minute 15 (in the second batch) holds a heart rate of 0, which the server refuses.
    const bad = store.chunks.get(`armband-1|${T0 + 15 * MINUTE_MS}`) as SampleChunk;
    bad.bpm[7] = 0;
    const net = faultyFetch();

    const run = await runSync(options(store, net.fetch, device.deviceToken));
    expect(run.outcome).toBe('needs-attention');
    expect(run.upRecords).toBe(MINUTES + 1 - BATCH);
    expect(net.puts().map((p) => p.status)).toEqual([201, 400, 201, 201]);
    const [item, ...others] = [...store.attention.values()];
    expect(others).toHaveLength(0);
    expect(item).toMatchObject({ status: 400, code: 'MALFORMED_BATCH', records: BATCH, batchId: net.puts()[1]?.batchId });
    expect(item?.reason).toMatch(/chunks\[\d+\]\.bpm\[7\]: heart rate 0 is outside 1–400/);
    expect(item?.keys).toContain(`chunk|${bad.id}`);
    expect(await store.outboxSize()).toBe(0);
    expect(store.inflight).toBeNull();
    const parkedMinutes = new Set(item?.keys.map((k) => Number(k.split('|')[2])));
    await expectServerHolds(
      device.deviceToken,
      samples.filter((s) => !parkedMinutes.has(minuteStartOf(s.t))),
    );
  });

  it('honours 429 Retry-After: automatic runs wait until then', async () => {
    const { device, store, samples } = await recordedDevice(5);
    const tooMany: Fault = async () =>
      new Response(JSON.stringify({ statusCode: 429, code: 'RATE_LIMITED', error: 'Too Many Requests', message: 'slow down' }), {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '120' },
      });
    const net = faultyFetch({ 1: tooMany });
    const start = Date.now();

    const first = await runSync(options(store, net.fetch, device.deviceToken, { trigger: 'sync' }));
    expect(first).toMatchObject({ outcome: 'retry-later', upRecords: 0 });
    expect(first.error).toContain('HTTP 429');
    const retryAt = (await store.getRetryAt()) ?? 0;
    expect(retryAt).toBeGreaterThanOrEqual(start + 120_000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 120_000);

    const requests = net.log.length;
    const early = await runSync(options(store, net.fetch, device.deviceToken, { trigger: 'periodicsync' }));
    expect(early.outcome).toBe('retry-later');
    expect(early.error).toContain('wait until');
    expect(net.log.length).toBe(requests); // not one request while the server asked to wait

    const later = await runSync(options(store, net.fetch, device.deviceToken, { trigger: 'sync', now: () => Date.now() + 121_000 }));
    expect(later.outcome).toBe('ok');
    expect(await store.getRetryAt()).toBeNull();
    expect(await store.outboxSize()).toBe(0);
    await expectServerHolds(device.deviceToken, samples);
  });

  it('keeps a record in the outbox when it changed while its batch was in flight, and sends it again', async () => {
    const device = await createAccount(server.url);
    const store = new MemorySyncStore();
    const samples = syntheticSamples(T0, 5 * 60, 6);
    const chunks = toChunks(samples.slice(0, 4 * 60 + 30)); // the last minute holds its first 30 s
    for (const chunk of chunks) store.recordChunk(chunk);
    const growing = chunks[4] as SampleChunk;
    const key = `chunk|${growing.id}`;
    let requeuedAt = 0;
    const recordMore: Fault = async (real) => {
      // While the batch is on the wire, the rest of that minute arrives (the armband's buffer).
      const [full] = toChunks(samples.slice(4 * 60));
      requeuedAt = (store.outbox.get(key)?.queuedAt ?? 0) + 1;
      store.recordChunk(full as SampleChunk, requeuedAt);
      return real();
    };
    const net = faultyFetch({ 1: recordMore, 2: offline });

    const first = await runSync(options(store, net.fetch, device.deviceToken));
    expect(first.outcome).toBe('offline');
    expect([...store.outbox.values()]).toEqual([
      { key, kind: 'chunk', recordId: growing.id, queuedAt: requeuedAt, readyAt: growing.minuteStart + MINUTE_MS },
    ]);
    await expectServerHolds(device.deviceToken, samples.slice(0, 4 * 60 + 30));

    const second = await runSync(options(store, net.fetch, device.deviceToken));
    expect(second).toMatchObject({ outcome: 'ok', upRecords: 1 });
    expect(net.puts().at(-1)?.answer).toMatchObject({ records: 1, created: 0, merged: 1 });
    expect(await store.outboxSize()).toBe(0);
    await expectServerHolds(device.deviceToken, samples);
  });

  it('pulls another device’s records and documents, merging with what this device holds', async () => {
    const { device, store, samples } = await recordedDevice(7);
    const other = await joinAccount(server.url, device);
    const theirs = syntheticSamples(T0 + 2 * MINUTES * MINUTE_MS, 120, 8);
    await uploadBatch(server.url, other.deviceToken, {
      header: {},
      chunks: toChunks(theirs, 'armband-2'),
      docs: [{ kind: 'checkin', id: 'from-phone', body: { fatigue: 4 } }],
    });
    const net = faultyFetch();

    const run = await runSync(options(store, net.fetch, device.deviceToken));
    expect(run).toMatchObject({ outcome: 'ok', upRecords: MINUTES + 1, downRecords: 3, pulled: { chunks: 2, docs: { checkin: 1 } } });
    expect(store.docs.get('checkin|from-phone')?.body).toEqual({ fatigue: 4 });
    const pulled = [...store.chunks.values()].filter((c) => c.sourceId === 'armband-2').flatMap(chunkSamples);
    expect(pulled).toEqual(theirs);
    expect(await store.getCursor()).not.toBeNull();
    await expectServerHolds(device.deviceToken, samples);

    const again = await runSync(options(store, net.fetch, device.deviceToken));
    expect(again.outcome).toBe('nothing-to-do');
  });

  it('builds the next batch while one is on the wire, and still sends what was queued meanwhile under earlier keys', async () => {
    const { device, store, samples } = await recordedDevice(10);
    const bodies: Uint8Array[] = [];
    const logBodies: Fault = async (real, _url, init) => {
      bodies.push(init?.body as Uint8Array);
      return real();
    };
    const checkInDuringUpload: Fault = async (real, url, init) => {
      // 'checkin|…' sorts before every 'chunk|…': behind the batches already being built.
      store.saveDoc('checkin', 'late', { fatigue: 4 });
      return logBodies(real, url, init);
    };
    const net = faultyFetch({ 1: logBodies, 2: checkInDuringUpload, 3: logBodies, 4: logBodies, 5: logBodies });

    const run = await runSync(options(store, net.fetch, device.deviceToken));
    expect(run).toMatchObject({ outcome: 'ok', upRecords: MINUTES + 2 });
    expect(net.puts().map((p) => p.status)).toEqual([201, 201, 201, 201, 201]);
    const sent = bodies.map((body) => decodeBatch(zlib.gunzipSync(body)));
    expect(sent.flatMap((b) => b.chunks.map((c) => c.id))).toEqual([...store.chunks.keys()].sort());
    expect(sent.at(-1)?.docs).toEqual([{ kind: 'checkin', id: 'late', body: { fatigue: 4 } }]);
    expect(await store.outboxSize()).toBe(0);
    await expectServerHolds(device.deviceToken, samples);
  });

  it('sends what a decoded upload shows: the batch is exactly the queued records', async () => {
    const { device, store } = await recordedDevice(9);
    const bodies: Uint8Array[] = [];
    const capture: Fault = async (real, _url, init) => {
      bodies.push(init?.body as Uint8Array);
      return real();
    };
    const net = faultyFetch({ 1: capture });
    await runSync(options(store, net.fetch, device.deviceToken, { maxRecordsPerBatch: 100 }));
    const batch = decodeBatch(zlib.gunzipSync(bodies[0] as Uint8Array));
    expect(batch.chunks).toHaveLength(MINUTES);
    expect(batch.docs).toEqual([{ kind: 'checkin', id: 'day-9', body: { fatigue: 2, note: 'tired' } }]);
  });
});
