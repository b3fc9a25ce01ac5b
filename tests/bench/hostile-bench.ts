/**
 * A stranger's worst *valid* sync traffic against everyone else's small requests.
 *
 *   npm run bench -- hostile [--requests 400] [--gap-ms 20] [--load uploads,readings,pulls] [--server-root DIR]
 *
 * The server runs in its own process (`node --import tsx server/index.ts`, SQLite in a
 * temporary DATA_DIR, loopback only) so that its memory can be read from /proc. One client
 * sends batches at the limits (250 full minutes: 150,000 samples, 300,000 intervals), reads a
 * page of readings and pulls from the start, in a loop; another account's client sends small
 * requests (GET /api/devices, and a small pull every tenth) and times each. The same small
 * requests are timed first with the server idle. Not a test: it prints a table. Latencies
 * depend on what else the machine runs; both runs share the same conditions.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { CHUNK_LIMITS, MINUTE_MS, minuteStartOf, type SampleChunk } from '../../src/shared/samples';
import { BATCH_LIMITS, encodeBatch } from '../../src/shared/sync/batch-codec';
import { freePort, residentBytes } from '../helpers/server-process';
import { createAccount, joinAccount, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '400' },
    'gap-ms': { type: 'string', default: '20' },
    load: { type: 'string', default: 'uploads,readings,pulls' },
    // Another checkout's server (e.g. `git archive` of an older commit) to compare against.
    'server-root': { type: 'string' },
  },
});
const LOAD = new Set(args.load.split(','));
const REQUESTS = Number(args.requests);
const GAP_MS = Number(args['gap-ms']);
const MINUTES_PER_BATCH = BATCH_LIMITS.samples / CHUNK_LIMITS.samples;
const T0 = minuteStartOf(Date.now()) - 30 * 24 * 3600_000;

/** A minute at the limits: a reading every 100 ms with two intervals. */
function fullMinute(minuteStart: number): SampleChunk {
  const chunk = toChunks(syntheticSamples(minuteStart, 1), 'bench-strap')[0]!;
  return {
    ...chunk,
    offsets: Array.from({ length: CHUNK_LIMITS.samples }, (_, i) => i * 100),
    bpm: Array.from({ length: CHUNK_LIMITS.samples }, (_, i) => 60 + ((i * 7) % 50)),
    contact: Array.from({ length: CHUNK_LIMITS.samples }, () => 1),
    intervalCounts: Array.from({ length: CHUNK_LIMITS.samples }, () => 2),
    intervalsMs: Array.from({ length: CHUNK_LIMITS.intervals }, (_, i) => 600 + ((i * 13) % 600)),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Times REQUESTS small requests, one every GAP_MS, while `busy` says the other client is still at it. */
async function timeSmallRequests(baseUrl: string, token: string): Promise<number[]> {
  const latencies: number[] = [];
  const headers = { authorization: `Bearer ${token}` };
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${i % 10 === 9 ? '/api/sync/changes?limit=10' : '/api/devices'}`, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`small request answered ${response.status}`);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  }
  return latencies;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-hostile-'));
const port = await freePort();
const root = args['server-root'] ? path.resolve(args['server-root']) : path.resolve(import.meta.dirname, '../..');
const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: '', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const baseUrl = `http://127.0.0.1:${port}`;
let peak = 0;
// residentBytes reads 0 once the process is gone: the run reports what was read before.
const sampler = setInterval(() => {
  peak = Math.max(peak, residentBytes(child.pid ?? 0));
}, 50);

try {
  for (let i = 0; ; i++) {
    if (i > 200) throw new Error('the server did not start');
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const quiet = await createAccount(baseUrl, 'quiet');
  const hostile = await createAccount(baseUrl, 'hostile');
  const reader = await joinAccount(baseUrl, hostile, 'hostile reader');

  // Warm-up: the decoding threads start, and the quiet account has something to pull.
  await uploadBatch(baseUrl, quiet.deviceToken, { header: {}, chunks: toChunks(syntheticSamples(T0, 120), 'quiet'), docs: [] });
  await uploadBatch(baseUrl, hostile.deviceToken, { header: {}, chunks: [fullMinute(T0 - MINUTE_MS)], docs: [] });

  peak = residentBytes(child.pid ?? 0);
  const idle = await timeSmallRequests(baseUrl, quiet.deviceToken);
  const idlePeak = peak;

  peak = residentBytes(child.pid ?? 0);
  let running = true;
  const hostileOps = { uploads: 0, uploadBytes: 0, readingPages: 0, readingBytes: 0, pullPages: 0, pullBytes: 0, refused: 0 };
  const attacker = (async () => {
    const headers = { authorization: `Bearer ${hostile.deviceToken}` };
    for (let batch = 0; running; batch++) {
      const start = T0 + batch * MINUTES_PER_BATCH * MINUTE_MS;
      const chunks = Array.from({ length: MINUTES_PER_BATCH }, (_, i) => fullMinute(start + i * MINUTE_MS));
      const body = new Uint8Array(zlib.gzipSync(encodeBatch({ header: {}, chunks, docs: [] })));
      if (LOAD.has('uploads') || batch === 0) {
        const answer = await uploadBatch(baseUrl, hostile.deviceToken, { raw: body });
        if (answer.status === 201) hostileOps.uploads++;
        else hostileOps.refused++;
        hostileOps.uploadBytes += body.length;
      }
      if (LOAD.has('readings')) {
        const query = new URLSearchParams({ from: new Date(T0).toISOString(), to: new Date(T0 + 7 * 24 * 3600_000 - 1).toISOString() });
        const readings = await fetch(`${baseUrl}/api/readings?${query}`, { headers });
        hostileOps.readingBytes += (await readings.arrayBuffer()).byteLength;
        hostileOps.readingPages++;
      }
      if (LOAD.has('pulls')) {
        const pulled = await fetch(`${baseUrl}/api/sync/changes`, { headers: { authorization: `Bearer ${reader.deviceToken}` } });
        hostileOps.pullBytes += (await pulled.arrayBuffer()).byteLength;
        hostileOps.pullPages++;
      }
    }
  })();
  const busy = await timeSmallRequests(baseUrl, quiet.deviceToken);
  running = false;
  await attacker;
  const busyPeak = peak;

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MB`;
  const summary = (latencies: number[]) => {
    const sorted = [...latencies].sort((a, b) => a - b);
    return [ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(sorted.at(-1) ?? Number.NaN)];
  };
  const rows = [
    ['', 'idle server', 'under hostile load'],
    ['small requests', String(idle.length), String(busy.length)],
    ...['p50', 'p99', 'max'].map((label, i) => [`latency ${label}`, summary(idle)[i]!, summary(busy)[i]!]),
    ['server peak RSS', mb(idlePeak), mb(busyPeak)],
    [
      'hostile uploads (250 full minutes each)',
      '–',
      `${hostileOps.uploads} stored, ${hostileOps.refused} refused, ${mb(hostileOps.uploadBytes)} sent`,
    ],
    ['hostile readings pages', '–', `${hostileOps.readingPages}, ${mb(hostileOps.readingBytes)} received`],
    ['hostile pull pages', '–', `${hostileOps.pullPages}, ${mb(hostileOps.pullBytes)} received`],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(
    `\n${os.availableParallelism()} cores, load average ${os.loadavg()[0]?.toFixed(2)} (other work on the machine counts in both columns)\n`,
  );
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  │  '));
} finally {
  clearInterval(sampler);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
