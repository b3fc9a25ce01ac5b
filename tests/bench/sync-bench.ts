/**
 * A week offline, synced up: Steady's batched sync against one Workbox background-sync request
 * per minute, with the same data, in the same Chromium, against the same real server.
 *
 *   npx vite build && npx tsx tests/bench/sync-bench.ts [--no-workbox]
 *
 * Not a test: it prints a table. Targets for Steady: ≤ 3 s end to end, ≤ 2 MB on the wire.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../server/db/open';
import { ingestBatch } from '../../server/sync/ingest';
import { prepareBatch } from '../../server/sync/prepare-batch';
import { CHANNELS } from '../../src/shared/names';
import { appendToChunk, emptyChunk, type HeartRateSample, minuteStartOf, type SampleChunk } from '../../src/shared/samples';
import { encodeBatch } from '../../src/shared/sync/batch-codec';
import { SYNC_MEDIA_TYPE } from '../../src/shared/sync/protocol';
import type { SyncLogEntry } from '../../src/shared/sync/sync-store';
import { inAppDb, putRecording, readCredentials, readOutbox, waitForLog } from '../helpers/app-db';
import { grantAllPermissions, launchBrowser, waitForController } from '../helpers/browser';
import { FaultProxy, type ProxiedRequest } from '../helpers/fault-proxy';
import { builtAppDir, startTestServer } from '../helpers/server';
import { serverReadings } from '../helpers/sync-assertions';
import { createAccount, syntheticSamples, toChunks } from '../helpers/sync-client';

const gzip = promisify(zlib.gzip);
const DAYS = 7;
const BATCH = 2_000; // the engine's default records per batch

/** A week at 1 Hz with one or two RR intervals a beat, ending an hour ago: every minute is over. */
function week(): { chunks: SampleChunk[]; samples: number; intervals: number; start: number } {
  const start = minuteStartOf(Date.now()) - DAYS * 86_400_000 - 3_600_000;
  const all = syntheticSamples(start, DAYS * 86_400, 42);
  return { chunks: toChunks(all), samples: all.length, intervals: all.reduce((n, s) => n + s.intervalsMs.length, 0), start };
}

/** Workbox's Queue as a classic script for the page (process.env.NODE_ENV=production: no dev logging). */
async function workboxBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: "import { Queue } from 'workbox-background-sync'; globalThis.WorkboxQueue = Queue;",
      resolveDir: path.resolve(import.meta.dirname, '../..'),
    },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0]?.text ?? '';
}

/** One minute as a naive JSON endpoint would take it. */
interface MinuteJson {
  sourceId: string;
  minuteStart: number;
  demo: boolean;
  intervalKind: 'rr' | 'ppi';
  samples: HeartRateSample[];
}

const sum = (rows: ProxiedRequest[], f: (r: ProxiedRequest) => number) => rows.reduce((n, r) => n + f(r), 0);
const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(2)} MB`);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en')}/s`;

/**
 * Workbox background sync: one JSON request per minute, queued with workbox-background-sync's
 * own Queue (pushRequest), then replayed by its own replayRequests(): sequential, one by one.
 */
async function workboxReplay(page: Page, proxy: FaultProxy, serverUrl: string, start: number, expected: number) {
  // The proxy turns each into a one-chunk batch for the real server (a transaction per minute,
  // as a per-request endpoint would do), into a fresh account so every minute is new there.
  const other = await createAccount(serverUrl, 'workbox bench');
  proxy.route({ method: 'POST', path: /^\/bench\/minute$/ }, async ({ headers, body }) => {
    const minute = JSON.parse(body.toString('utf8')) as MinuteJson;
    const chunk = emptyChunk(minute.sourceId, minute.demo, minute.intervalKind, minute.minuteStart);
    appendToChunk(chunk, minute.samples);
    const answer = await fetch(`${serverUrl}/api/sync/batches/${randomUUID()}`, {
      method: 'PUT',
      headers: { 'content-type': SYNC_MEDIA_TYPE, authorization: String(headers.authorization) },
      body: await gzip(encodeBatch({ header: {}, chunks: [chunk], docs: [] })),
    });
    return { status: answer.status, headers: { 'content-type': 'application/json' }, body: Buffer.from(await answer.arrayBuffer()) };
  });
  // Evaluated, not a script tag: the app's CSP allows no inline script.
  await page.evaluate(await workboxBundle());
  let t = performance.now();
  // The week is read into the page, not into Node: it would cross twice for nothing.
  await inAppDb(
    page,
    async (db, { from, to }, idb) => {
      (globalThis as unknown as { benchWeek: SampleChunk[] }).benchWeek = await idb.result(
        db.transaction('chunks').objectStore('chunks').index('byMinute').getAll(IDBKeyRange.bound(from, to)),
      );
    },
    { from: start, to: start + DAYS * 86_400_000 },
  );
  const queued = await page.evaluate(
    async ({ token }) => {
      // Workbox's Queue reads self.registration.sync; a page has no registration of its own.
      (globalThis as unknown as { registration: object }).registration = {};
      type Queue = { pushRequest(entry: { request: Request }): Promise<void>; size(): Promise<number> };
      const QueueClass = (globalThis as unknown as { WorkboxQueue: new (name: string, options: object) => Queue }).WorkboxQueue;
      const queue = new QueueClass('bench-minutes', { forceSyncFallback: true });
      (globalThis as unknown as { benchQueue: Queue }).benchQueue = queue;
      const week = (globalThis as unknown as { benchWeek: SampleChunk[] }).benchWeek;
      for (const chunk of week) {
        const samples: HeartRateSample[] = [];
        let cursor = 0;
        chunk.offsets.forEach((offset, i) => {
          const count = chunk.intervalCounts[i] ?? 0;
          samples.push({
            t: chunk.minuteStart + offset,
            bpm: chunk.bpm[i] ?? 0,
            contact: chunk.contact[i] === -1 ? null : chunk.contact[i] === 1,
            intervalsMs: chunk.intervalsMs.slice(cursor, cursor + count),
          });
          cursor += count;
        });
        const body: MinuteJson = {
          sourceId: chunk.sourceId,
          minuteStart: chunk.minuteStart,
          demo: chunk.demo,
          intervalKind: chunk.intervalKind,
          samples,
        };
        await queue.pushRequest({
          request: new Request('/bench/minute', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
          }),
        });
      }
      return queue.size();
    },
    { token: other.deviceToken },
  );
  const queueMs = performance.now() - t;
  const workboxBefore = proxy.log.length;
  t = performance.now();
  await page.evaluate(() => (globalThis as unknown as { benchQueue: { replayRequests(): Promise<void> } }).benchQueue.replayRequests());
  const workboxMs = performance.now() - t;
  // Only the replayed minutes: the page may make its own requests meanwhile (a sync on becoming visible).
  const workboxRequests = proxy.log.slice(workboxBefore).filter((r) => r.path === '/bench/minute');
  const workboxBytes = sum(workboxRequests, (r) => r.bytesIn + r.bytesOut);
  const failed = workboxRequests.filter((r) => r.status !== 201).length;
  if (queued !== expected || workboxRequests.length !== expected || failed > 0) {
    throw new Error(`workbox: queued ${queued}, replayed ${workboxRequests.length}, ${failed} not 201`);
  }

  return { queued, queueMs, workboxMs, workboxRequests, workboxBytes };
}

async function main(): Promise<void> {
  const { chunks, samples, intervals, start } = week();
  console.log(
    `A week: ${chunks.length.toLocaleString('en')} minute chunks, ${samples.toLocaleString('en')} samples, ${intervals.toLocaleString('en')} RR intervals`,
  );

  const server = await startTestServer({ staticDir: builtAppDir() });
  const proxy = await FaultProxy.start({ target: () => server.url });
  const browser = await launchBrowser();
  const rows: [string, string, string][] = [];
  try {
    const { page } = browser;
    await grantAllPermissions(browser.browserCdp, proxy.origin);
    await page.goto(`${proxy.origin}/sync`);
    await waitForController(page);
    await waitForLog(page, (e) => e.trigger === 'page');

    // 1. Record the week into the app's IndexedDB, as the recorder would have (not timed as sync).
    let t = performance.now();
    await putRecording(page, chunks);
    const recordMs = performance.now() - t;

    // 2. Steady: "Sync now" (the page's sync worker), until the run is logged.
    const requestsBefore = proxy.log.length;
    const finished = page.evaluate(
      (name) =>
        new Promise<SyncLogEntry>((resolve) => {
          const channel = new BroadcastChannel(name);
          channel.onmessage = (event: MessageEvent<{ type: string; entry: SyncLogEntry }>) => {
            if (event.data.type === 'SYNC_FINISHED' && event.data.entry.trigger === 'manual') resolve(event.data.entry);
          };
        }),
      CHANNELS.syncRuns,
    );
    t = performance.now();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const entry = await finished;
    const steadyWallMs = performance.now() - t;
    const steadyRequests = proxy.log.slice(requestsBefore);
    const puts = steadyRequests.filter((r) => r.batchId);
    const steadyBytes = sum(steadyRequests, (r) => r.bytesIn + r.bytesOut);
    const putServerMs = sum(puts, (r) => (r.endedAt ?? r.startedAt) - r.startedAt);
    if (entry.outcome !== 'ok' || entry.upRecords !== chunks.length) throw new Error(`sync did not finish: ${JSON.stringify(entry)}`);
    if ((await readOutbox(page)).length !== 0) throw new Error('outbox not empty after the run');
    const credentials = await readCredentials(page);
    if (!credentials) throw new Error('the app has no account');
    const sqlite = new Database(path.join(server.dataDir, 'steady.sqlite'), { readonly: true });
    const stored = sqlite
      .prepare("select count(*) as n from sync_records where account_id = ? and kind = 'chunk'")
      .get(credentials.accountId) as { n: number };
    sqlite.close();
    const hour = await serverReadings(server.url, credentials.deviceToken, start, start + 3_600_000);
    if (stored.n !== chunks.length || hour.length !== 3_600)
      throw new Error(`server holds ${stored.n} chunks, ${hour.length} samples in the first hour`);

    // 3. The server alone: gunzip + decode + insert of the same batches, timed in Node.
    const direct = await startTestServer();
    const account = await createAccount(direct.url);
    const database = await openDatabase(direct.config);
    let decodeMs = 0;
    let insertMs = 0;
    try {
      for (let i = 0; i < chunks.length; i += BATCH) {
        const body = await gzip(encodeBatch({ header: {}, chunks: chunks.slice(i, i + BATCH), docs: [] }));
        let s = performance.now();
        // What the server's worker threads do (server/sync/batch-pool.ts), here on this thread.
        const prepared = prepareBatch(body);
        if (!prepared.ok) throw new Error(prepared.message);
        decodeMs += performance.now() - s;
        s = performance.now();
        await ingestBatch(database.db, {
          accountId: account.accountId,
          deviceId: account.deviceId,
          batchId: randomUUID(),
          contentHash: prepared.contentHash,
          records: prepared.records,
          quota: { maxRecords: Number.MAX_SAFE_INTEGER },
        });
        insertMs += performance.now() - s;
      }
    } finally {
      await database.close();
      await direct.dispose();
    }

    // 4. Workbox background sync, unless skipped.
    const workbox = process.argv.includes('--no-workbox') ? null : await workboxReplay(page, proxy, server.url, start, chunks.length);

    const values = samples + intervals;
    rows.push(
      ['Recording the week into IndexedDB (setup)', sec(recordMs), `${chunks.length.toLocaleString('en')} chunks`],
      ['Steady: sync run (engine, incl. pull)', sec(entry.durationMs), 'target ≤ 3 s'],
      ['Steady: "Sync now" tap → run finished', sec(steadyWallMs), `${steadyRequests.length} requests (${puts.length} PUTs)`],
      [
        'Steady: bytes on the wire',
        mb(steadyBytes),
        `sent ${mb(sum(steadyRequests, (r) => r.bytesIn))} (batch bodies ${mb(entry.upBytes)}), received ${mb(sum(steadyRequests, (r) => r.bytesOut))}; target ≤ 2 MB`,
      ],
      [
        'Steady: server time in PUTs (proxy)',
        sec(putServerMs),
        `${rate(values, putServerMs)} samples+intervals, ${rate(chunks.length, putServerMs)} chunks`,
      ],
      ['Server alone: gunzip + decode', sec(decodeMs), `${rate(values, decodeMs)} samples+intervals`],
      [
        'Server alone: insert (ingestBatch)',
        sec(insertMs),
        `${rate(values, insertMs)} samples+intervals, ${rate(chunks.length, insertMs)} chunk rows`,
      ],
      [
        'Server alone: decode + insert',
        sec(decodeMs + insertMs),
        `${rate(values, decodeMs + insertMs)} samples+intervals, ${rate(chunks.length, decodeMs + insertMs)} chunk rows`,
      ],
    );
    if (workbox) {
      rows.push(
        ['Workbox: queueing 1 request/minute (setup)', sec(workbox.queueMs), `${workbox.queued.toLocaleString('en')} requests`],
        [
          'Workbox: replayRequests()',
          sec(workbox.workboxMs),
          `${workbox.workboxRequests.length.toLocaleString('en')} requests, sequential`,
        ],
        [
          'Workbox: of which in proxy + server',
          sec(sum(workbox.workboxRequests, (r) => (r.endedAt ?? r.startedAt) - r.startedAt)),
          'JSON → one-chunk batch → PUT, per request',
        ],
        [
          'Workbox: bytes on the wire',
          mb(workbox.workboxBytes),
          `sent ${mb(sum(workbox.workboxRequests, (r) => r.bytesIn))}, received ${mb(sum(workbox.workboxRequests, (r) => r.bytesOut))} (headers included)`,
        ],
      );
    }
  } finally {
    await browser.close();
    await proxy.close();
    await server.dispose();
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${'what'.padEnd(width)}  ${'figure'.padStart(9)}  notes`);
  for (const [what, figure, note] of rows) console.log(`${what.padEnd(width)}  ${figure.padStart(9)}  ${note}`);
}

await main();
