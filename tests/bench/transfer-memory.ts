/**
 * Memory while backing up and restoring: does anything grow with the archive?
 *
 *   npx vite build && npx tsx --expose-gc tests/bench/transfer-memory.ts [chunks=16000] [factor=10]
 *
 * Runs a backup (pack in the worker, upload with Background Fetch) and a restore (the server
 * streams the account's export, the service worker imports it) at `chunks` minutes of data and
 * at `factor` times that, each size in a fresh process, browser and server. Every 500 ms it
 * forces a GC and reads the JS heap of the page, the backup worker and the service worker (CDP
 * Runtime.getHeapUsage on each target), the RSS of Chromium's renderer and browser processes,
 * and the server's heap and RSS (the server runs in this process: hence --expose-gc). Prints
 * peak minus baseline for each; for the backup worker, which starts with the run, its peak.
 * Durations include the sampling (forced GCs, `ps`), so they are slower than without it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { CDPSession } from 'playwright-core';
import type { SampleChunk } from '../../src/shared/samples';
import { inAppDb, waitForCredentials } from '../helpers/app-db';
import { appDir, HOLD_SYNC_LOCK, openApp, seedChunks, type TestBrowser, waitForTransfer } from '../helpers/backup-browser';
import { startTestServer } from '../helpers/server';
import { uploadBatch } from '../helpers/sync-client';

const BASE = Number(process.argv[2] ?? 16_000);
const FACTOR = Number(process.argv[3] ?? 10);
const PORT = 18491;
// tsx keeps function names with a helper that page.evaluate bodies would not find in the page.
const KEEP_NAMES = 'globalThis.__name = (f) => f;';
const MB = 1024 * 1024;

interface Sample {
  page: number;
  worker: number | null;
  sw: number | null;
  renderers: number;
  browser: number;
  serverHeap: number;
  serverRss: number;
}

/** Runtime.getHeapUsage on worker and service-worker targets, through the browser session. */
class TargetHeaps {
  private sessions = new Map<string, string>();
  private next = 1;
  private pending = new Map<number, (value: { usedSize?: number } | undefined) => void>();

  constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
      const parsed = JSON.parse(message) as { id?: number; result?: { usedSize?: number } };
      if (parsed.id !== undefined) this.pending.get(parsed.id)?.(parsed.result);
    });
  }

  /** Used JS heap of the first target of `type` whose URL contains `urlPart`, or null when there is none. */
  async usedHeap(type: string, urlPart: string, collect = false): Promise<number | null> {
    const { targetInfos } = await this.cdp.send('Target.getTargets');
    const target = targetInfos.find((t) => t.type === type && t.url.includes(urlPart));
    if (!target) return null;
    let sessionId = this.sessions.get(target.targetId);
    if (!sessionId) {
      sessionId = (await this.cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })).sessionId;
      this.sessions.set(target.targetId, sessionId);
    }
    if (collect) await this.call(sessionId, 'HeapProfiler.collectGarbage');
    return (await this.call(sessionId, 'Runtime.getHeapUsage'))?.usedSize ?? null;
  }

  private call(sessionId: string, method: string): Promise<{ usedSize?: number } | undefined> {
    const id = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 2_000);
      this.pending.set(id, (value) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(value);
      });
      this.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(() => resolve(undefined));
    });
  }
}

/** RSS of the Chromium processes that use `profileDir`: renderers (page, workers, service worker) and the browser process. */
function chromiumRss(profileDir: string): { renderers: number; browser: number } {
  const lines = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8', maxBuffer: 16 * MB }).split('\n');
  const processes = lines
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), rss: Number(m[3]) * 1024, args: m[4] ?? '' }));
  const root = processes.find((p) => p.args.includes(`--user-data-dir=${profileDir}`) && !p.args.includes('--type='));
  if (!root) return { renderers: 0, browser: 0 };
  const family = new Set([root.pid]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const p of processes) {
      if (!family.has(p.pid) && family.has(p.ppid)) {
        family.add(p.pid);
        grown = true;
      }
    }
  }
  const renderers = processes.filter((p) => family.has(p.pid) && p.args.includes('--type=renderer')).reduce((sum, p) => sum + p.rss, 0);
  return { renderers, browser: root.rss };
}

/**
 * One sample, after a full GC in every isolate measured (the page, the backup worker, the
 * service worker, and this process, which runs the server): what is retained, not the garbage
 * an idle V8 lets pile up between collections.
 */
async function sample(browser: TestBrowser, heaps: TargetHeaps): Promise<Sample> {
  await browser.cdp.send('HeapProfiler.collectGarbage');
  const [page, worker, sw] = await Promise.all([
    browser.cdp.send('Runtime.getHeapUsage').then((h) => h.usedSize),
    heaps.usedHeap('worker', 'backup-worker', true),
    heaps.usedHeap('service_worker', 'sw.js', true),
  ]);
  globalThis.gc?.();
  const memory = process.memoryUsage();
  return { page, worker, sw, ...chromiumRss(browser.profileDir), serverHeap: memory.heapUsed, serverRss: memory.rss };
}

/** Samples every 500 ms while `work` runs; answers the baseline and the peak of each figure. */
async function measure(browser: TestBrowser, heaps: TargetHeaps, work: () => Promise<unknown>) {
  const baseline = await sample(browser, heaps);
  const peak: Sample = { ...baseline };
  let running = true;
  const sampler = (async () => {
    while (running) {
      const now = await sample(browser, heaps).catch(() => null);
      if (now) {
        for (const key of Object.keys(peak) as (keyof Sample)[]) {
          const value = now[key];
          if (value !== null && (peak[key] === null || value > (peak[key] ?? 0))) peak[key] = value;
        }
      }
      await sleep(500);
    }
  })();
  const started = Date.now();
  await work();
  const seconds = (Date.now() - started) / 1000;
  running = false;
  await sampler;
  return { baseline, peak, seconds };
}

/** Chunks like a real minute of recording: random enough that gzip keeps ~400 bytes of each. */
function generatedChunks(count: number, start: number, seed: number): SampleChunk[] {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  return Array.from({ length: count }, (_, i) => {
    const minuteStart = start + i * 60_000;
    const chunk: SampleChunk = {
      id: `armband-bench|${minuteStart}`,
      sourceId: 'armband-bench',
      demo: false,
      minuteStart,
      intervalKind: 'rr',
      offsets: [],
      bpm: [],
      contact: [],
      intervalCounts: [],
      intervalsMs: [],
    };
    for (let s = 0; s < 60; s++) {
      const bpm = 55 + Math.floor(random() * 50);
      chunk.offsets.push(s * 1000 + Math.floor(random() * 900));
      chunk.bpm.push(bpm);
      chunk.contact.push(1);
      chunk.intervalCounts.push(1);
      chunk.intervalsMs.push(Math.round(60_000 / bpm + (random() - 0.5) * 80));
    }
    return chunk;
  });
}

function row(label: string, result: Awaited<ReturnType<typeof measure>>, archiveBytes: number): string {
  const grow = (key: keyof Sample) => {
    const base = result.baseline[key];
    const top = result.peak[key];
    if (top === null) return '   n/a';
    // A worker that only starts with the run has no baseline: its peak is all growth.
    return `${((top - (base ?? 0)) / MB).toFixed(1).padStart(6)}`;
  };
  return [
    label.padEnd(26),
    `${(archiveBytes / MB).toFixed(1).padStart(7)}`,
    `${result.seconds.toFixed(1).padStart(6)}`,
    grow('page'),
    grow('worker'),
    grow('sw'),
    grow('renderers'),
    grow('browser'),
    grow('serverHeap'),
    grow('serverRss'),
  ].join(' │ ');
}

async function run(chunks: number): Promise<string[]> {
  const server = await startTestServer({ staticDir: appDir(), port: PORT });
  const origin = `http://127.0.0.1:${PORT}`;
  const lines: string[] = [];
  const browsers: TestBrowser[] = [];
  try {
    // Backup: this device's IndexedDB → worker → Background Fetch → server.
    const device = await openApp(origin, { initScript: `${KEEP_NAMES}\n${HOLD_SYNC_LOCK}` });
    browsers.push(device);
    const credentials = await waitForCredentials(device.page);
    for (let first = 0; first < chunks; first += 20_000) {
      await seedChunks(device.page, Math.min(20_000, chunks - first), { start: Date.UTC(2020, 0, 1) + first * 60_000, seed: first + 1 });
    }
    const heaps = new TargetHeaps(device.browserCdp);
    let archiveBytes = 0;
    const backup = await measure(device, heaps, async () => {
      await device.page.getByRole('button', { name: 'Back up everything' }).click();
      const done = await waitForTransfer(
        device.page,
        (t) => t.direction === 'upload' && (t.state === 'done' || t.state === 'failed'),
        600_000,
      );
      if (done.state !== 'done') throw new Error(`backup failed: ${done.error}`);
      archiveBytes = done.bytesTotal ?? 0;
    });
    lines.push(row(`backup (${chunks} chunks)`, backup, archiveBytes));

    // The account's synced data, for the export: the same amount, uploaded through the sync API.
    const generated = generatedChunks(chunks, Date.UTC(2021, 0, 1), 7);
    for (let i = 0; i < generated.length; i += 4_000) {
      const answer = await uploadBatch(server.url, credentials.deviceToken, {
        header: {},
        chunks: generated.slice(i, i + 4_000),
        docs: [],
      });
      if (answer.status !== 201) throw new Error(`sync upload failed: ${answer.status}`);
    }

    // Restore: a second device of the account downloads the export; the service worker imports it.
    const second = await openApp(origin, { initScript: `${KEEP_NAMES}\n${HOLD_SYNC_LOCK}` });
    browsers.push(second);
    await inAppDb(
      second.page,
      async (db, creds, idb) => {
        const tx = db.transaction('meta', 'readwrite');
        tx.objectStore('meta').put({ ...creds, createdAt: new Date().toISOString() }, 'credentials');
        await idb.done(tx);
      },
      credentials,
    );
    await second.page.reload();
    await waitForCredentials(second.page);
    const secondHeaps = new TargetHeaps(second.browserCdp);
    let restoredBytes = 0;
    const restore = await measure(second, secondHeaps, async () => {
      await second.page.getByRole('button', { name: 'Download my full history' }).click();
      const done = await waitForTransfer(
        second.page,
        (t) => t.direction === 'download' && (t.state === 'done' || t.state === 'failed'),
        900_000,
      );
      if (done.state !== 'done') throw new Error(`restore failed: ${done.error}`);
      restoredBytes = done.bytesTotal ?? done.bytesDone;
    });
    lines.push(row(`restore (${chunks} chunks)`, restore, restoredBytes));
  } finally {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await server.dispose();
  }
  return lines;
}

const header = ['run'.padEnd(26), 'archive', '  secs', '  page', 'worker', '    sw', 'render', 'browsr', 'srvHeap', 'srvRss'].join(' │ ');
if (process.env.STEADY_BENCH_ONE) {
  // One size per process: each run starts from a fresh server process and browser.
  for (const line of await run(Number(process.env.STEADY_BENCH_ONE))) console.log(line);
} else {
  console.log(`Growth over the baseline during each run, in MiB (archive in MiB). Node ${process.version}.`);
  console.log(header);
  for (const chunks of new Set([BASE, BASE * FACTOR])) {
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, STEADY_BENCH_ONE: String(chunks) },
      stdio: ['ignore', 'inherit', 'ignore'],
    });
  }
  if (fs.existsSync('/proc/meminfo')) console.log(`(machine: ${fs.readFileSync('/proc/meminfo', 'utf8').split('\n')[0]})`);
}
