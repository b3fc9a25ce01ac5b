/**
 * Armband ingest into IndexedDB, in Chromium, through the recorder's own chunk path
 * (groupIntoChunks → writeCatchUp → writeChunkBatches; readSourceChunks → chart columns):
 *   - catch-up of a day of 1 Hz samples with RR intervals (86,400), as many minute chunks per transaction as the app uses;
 *   - what a week of that occupies: V8-serialised values, storage.estimate() growth, and the
 *     IndexedDB folder on disk after a browser restart (LevelDB has then compacted its log);
 *   - reading the last 24 h back and turning it into chart columns, warm and after the restart.
 *
 *   npx vite build && npx tsx tests/bench/armband-ingest.ts
 *
 * Not a test: it prints a table. Targets: ≥ 400,000 samples/s, ≤ 10 MB a week, ≤ 50 ms for 24 h back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { build } from 'esbuild';
import { CATCH_UP_CHUNKS_PER_TRANSACTION } from '../../src/recording/catch-up';
import type { SampleChunk } from '../../src/shared/samples';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { builtAppDir, startTestServer } from '../helpers/server';

const PORT = 18290;
const DAY_SAMPLES = 86_400;
const CHUNKS_PER_TRANSACTION = CATCH_UP_CHUNKS_PER_TRANSACTION;
const READ_RUNS = 15;

interface IngestResult {
  chunks: number;
  transactions: number;
  ingestMs: number;
  /** Of which grouping samples into chunk batches (no IndexedDB). */
  groupMs: number;
  usageBefore: number;
  usageAfter: number;
}
interface ReadResult {
  readMs: number[];
  /** Of which IndexedDB's getAll (IPC and deserialisation). */
  idbMs: number[];
  points: number;
  usage: number;
}
interface Bench {
  /** Generates the day's samples in the page (not timed). Returns the number of RR intervals. */
  prepare(samples: number): number;
  ingest(options: { perTransaction: number }): Promise<IngestResult>;
  read(runs: number): Promise<ReadResult>;
  dump(): Promise<SampleChunk[]>;
  baseline(perTransaction: number): Promise<{ putMs: number; getAllMs: number }>;
}

/** The page side, bundled from the app's own modules into a classic script that defines `armbandBench`. */
async function pageBundle(): Promise<string> {
  const result = await build({
    stdin: {
      resolveDir: path.resolve(import.meta.dirname, '../..'),
      loader: 'ts',
      contents: `
        import { openSteadyDb } from './src/db/schema';
        import { groupIntoChunks } from './src/recording/chunk-batches';
        import { writeCatchUp } from './src/recording/catch-up';
        import { readChunks, readGaps, readSourceChunks } from './src/recording/stored-samples';
        import { chartColumns } from './src/armband/ui/chart-data';
        import { createDemoArmband } from './src/shared/armband/demo-armband';
        import { minuteStartOf } from './src/shared/samples';

        const usage = async () => (await navigator.storage.estimate()).usage ?? 0;

        globalThis.armbandBench = {
          prepare(samples) {
            const start = minuteStartOf(Date.now()) - samples * 1000;
            const demo = createDemoArmband({ seed: 7, startMs: start - 1000 });
            globalThis.benchEntries = [];
            let intervals = 0;
            for (let i = 0; i < samples; i++) {
              const r = demo.next();
              intervals += r.rrMs.length;
              globalThis.benchEntries.push({ sourceId: 'bench-strap', demo: false, intervalKind: 'rr', sample: { t: r.t, bpm: r.bpm, contact: r.contact, intervalsMs: r.rrMs } });
            }
            return intervals;
          },
          async ingest({ perTransaction }) {
            const db = await openSteadyDb();
            const usageBefore = await usage();
            const t0 = performance.now();
            const batches = groupIntoChunks(globalThis.benchEntries);
            const groupMs = performance.now() - t0;
            await writeCatchUp(db, batches, perTransaction);
            const ingestMs = performance.now() - t0;
            return { chunks: batches.length, transactions: Math.ceil(batches.length / perTransaction), ingestMs, groupMs, usageBefore, usageAfter: await usage() };
          },
          async read(runs) {
            const db = await openSteadyDb();
            const readMs = [];
            const idbMs = [];
            let points = 0;
            for (let run = 0; run < runs; run++) {
              const r0 = performance.now();
              const from = Date.now() - 86_400_000;
              const [chunks, gaps] = await Promise.all([readSourceChunks(db, 'bench-strap', minuteStartOf(from), Date.now()), readGaps(db, from)]);
              idbMs.push(performance.now() - r0);
              const history = [];
              for (const c of chunks) {
                for (let i = 0; i < c.offsets.length; i++) history.push({ t: c.minuteStart + c.offsets[i], bpm: c.bpm[i] });
              }
              points = chartColumns(history, gaps)[0].length;
              readMs.push(performance.now() - r0);
            }
            return { readMs, idbMs, points, usage: await usage() };
          },
          /** The machine's ceiling: the same chunks put and read with bare IndexedDB, no Steady code at all. */
          async baseline(perTransaction) {
            const chunks = await readChunks(await openSteadyDb(), 0);
            const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
            const open = indexedDB.open('bench-baseline', 1);
            open.onupgradeneeded = () => open.result.createObjectStore('chunks', { keyPath: 'id' }).createIndex('byMinute', 'minuteStart');
            const db = await request(open);
            const t0 = performance.now();
            for (let i = 0; i < chunks.length; i += perTransaction) {
              const tx = db.transaction('chunks', 'readwrite');
              for (const chunk of chunks.slice(i, i + perTransaction)) tx.objectStore('chunks').put(chunk);
              await new Promise((resolve) => { tx.oncomplete = resolve; });
            }
            const putMs = performance.now() - t0;
            const t1 = performance.now();
            await request(db.transaction('chunks').objectStore('chunks').getAll());
            const getAllMs = performance.now() - t1;
            db.close();
            await request(indexedDB.deleteDatabase('bench-baseline')); // not part of the size measured below
            return { putMs, getAllMs };
          },
          async dump() {
            return readChunks(await openSteadyDb(), 0);
          },
        };
      `,
    },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Opens the app's origin on a page without the app's scripts (nothing else touches the database) and installs the bench. */
async function benchPage(browser: TestBrowser, origin: string, script: string): Promise<void> {
  await browser.page.goto(`${origin}/robots.txt`);
  // Evaluated, not a script tag: the app's CSP allows no inline script.
  await browser.page.evaluate(script);
  await browser.cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
}

/** CPU time of the page's main thread so far, in ms (CDP Performance.getMetrics "ThreadTime"): what the page itself spent, whatever else the machine runs. */
async function threadMs(browser: TestBrowser): Promise<number> {
  const { metrics } = await browser.cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? Number.NaN) * 1000;
}

/** Runs a bench method and measures the page's main-thread CPU time for it. */
async function timed<T>(browser: TestBrowser, run: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = await threadMs(browser);
  const result = await run();
  return { result, cpuMs: (await threadMs(browser)) - before };
}

const call = <K extends keyof Bench>(browser: TestBrowser, method: K, arg?: Parameters<Bench[K]>[0]) =>
  browser.page.evaluate(
    ({ method: m, arg: a }) => (globalThis as unknown as { armbandBench: Record<string, (x: unknown) => unknown> }).armbandBench[m]!(a),
    { method, arg },
  ) as ReturnType<Bench[K]>;

function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((n, entry) => {
    const full = path.join(dir, entry.name);
    return n + (entry.isDirectory() ? folderBytes(full) : fs.statSync(full).size);
  }, 0);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const verdict = (ok: boolean, target: string) => (ok ? `ok (${target})` : `MISSED (${target})`);

async function main(): Promise<void> {
  const server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-bench-armband-'));
  const script = await pageBundle();
  const rows: string[][] = [];
  try {
    let browser = await launchBrowser({ profileDir });
    await benchPage(browser, server.url, script);
    const intervals = await call(browser, 'prepare', DAY_SAMPLES);
    const { result: ingest, cpuMs: ingestCpu } = await timed(browser, () =>
      call(browser, 'ingest', { perTransaction: CHUNKS_PER_TRANSACTION }),
    );
    const { result: warm, cpuMs: warmCpu } = await timed(browser, () => call(browser, 'read', READ_RUNS));
    const chunks = await call(browser, 'dump');
    await browser.close();

    // A restart: LevelDB turns its log into compacted (snappy) tables; this is the size that stays.
    browser = await launchBrowser({ profileDir });
    await benchPage(browser, server.url, script);
    const { result: cold, cpuMs: coldCpu } = await timed(browser, () => call(browser, 'read', READ_RUNS));
    const disk = folderBytes(path.join(profileDir, 'Default', 'IndexedDB'));
    // The bare-IndexedDB ceiling last: its database, deleted or not, would count in the size above.
    const baseline = await call(browser, 'baseline', CHUNKS_PER_TRANSACTION);
    await browser.close();

    const rate = Math.round(DAY_SAMPLES / (ingest.ingestMs / 1000));
    // Through JSON first: whole numbers become V8 small integers, as the chunk writer stores them in the page.
    const serialised = chunks.reduce((n, chunk) => n + v8.serialize(JSON.parse(JSON.stringify(chunk))).length, 0) * 7;
    const estimate = (ingest.usageAfter - ingest.usageBefore) * 7;
    const cpuRate = Math.round(DAY_SAMPLES / (ingestCpu / 1000));
    const size = (bytes: number) => [mb(bytes), '', verdict(bytes <= 10 * 2 ** 20, '≤ 10 MB')];
    const read = (r: ReadResult, cpu: number) => [
      `median ${median(r.readMs).toFixed(1)} ms (getAll ${median(r.idbMs).toFixed(1)}), first ${r.readMs[0]?.toFixed(1)}, max ${Math.max(...r.readMs).toFixed(1)}`,
      `${(cpu / r.readMs.length).toFixed(1)} ms a read`,
      `${verdict(median(r.readMs) <= 50, '≤ 50 ms')} wall, ${verdict(cpu / r.readMs.length <= 50, '≤ 50 ms')} CPU`,
    ];
    rows.push(
      ['', '', 'wall clock', 'page main-thread CPU', 'target'],
      [
        'catch-up ingest, 1 day',
        `${DAY_SAMPLES.toLocaleString('en')} samples, ${intervals.toLocaleString('en')} RR, ${ingest.chunks} chunks, ${ingest.transactions} tx`,
        `${ingest.ingestMs.toFixed(0)} ms (grouping ${ingest.groupMs.toFixed(0)}) = ${rate.toLocaleString('en')}/s`,
        `${ingestCpu.toFixed(0)} ms = ${cpuRate.toLocaleString('en')}/s`,
        `${verdict(rate >= 400_000, '≥ 400,000/s')} wall, ${verdict(cpuRate >= 400_000, '≥ 400,000/s')} CPU`,
      ],
      [
        '  machine ceiling: bare IndexedDB',
        `the same 1440 chunks, prebuilt, put ${CHUNKS_PER_TRANSACTION} a tx`,
        `${baseline.putMs.toFixed(0)} ms = ${Math.round(DAY_SAMPLES / (baseline.putMs / 1000)).toLocaleString('en')}/s`,
        '',
        '',
      ],
      ['size of a week', 'V8-serialised chunk values × 7', ...size(serialised)],
      ['size of a week', 'IndexedDB folder after restart × 7', ...size(disk * 7)],
      ['size of a week', 'storage.estimate() growth × 7', ...size(estimate)],
      ['24 h back for the chart, warm', `${warm.points.toLocaleString('en')} points, ${READ_RUNS} runs`, ...read(warm, warmCpu)],
      ['  machine ceiling: bare getAll', 'the same 1440 chunks', `${baseline.getAllMs.toFixed(1)} ms`, '', ''],
      ['24 h back, after a restart', `${cold.points.toLocaleString('en')} points, ${READ_RUNS} runs`, ...read(cold, coldCpu)],
    );
    const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
    console.log(
      `\nArmband ingest into IndexedDB (load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores)\n`,
    );
    for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  │  '));
    console.log();
  } finally {
    await server.dispose();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

await main();
