/**
 * Server memory while it streams an account's export (GET /api/backups/export): does anything
 * grow with the account?
 *
 *   npx tsx --expose-gc tests/bench/export-memory.ts [minutes=5000] [factor=10]
 *
 * Syncs `minutes` minute chunks into a fresh account on a real server (SQLite, in this process),
 * then downloads the export while sampling the process every 100 ms, each time after a forced
 * GC (so the heap figure is what is live, not garbage V8 has not collected yet); then the same
 * at `factor` times the data, in a fresh server. Prints the heap and RSS peaks above the
 * baseline taken the same way just before each download. The client reads in this process too and
 * drops each piece as it arrives, so what grows is the server's.
 * Not a test: it prints a table. Target: the peaks do not grow with the account (10× the data,
 * under 2× the heap peak).
 */
import http from 'node:http';
import { startTestServer } from '../helpers/server';
import { createAccount, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

const BASE = Number(process.argv[2] ?? 5_000);
const FACTOR = Number(process.argv[3] ?? 10);
const PER_BATCH = 2_000;
const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench does)');

interface Row {
  minutes: number;
  archiveMB: number;
  seconds: number;
  heapMB: number;
  rssMB: number;
}

async function measure(minutes: number): Promise<Row> {
  const server = await startTestServer();
  try {
    const device = await createAccount(server.url);
    const start = Date.UTC(2025, 0, 1);
    for (let first = 0; first < minutes; first += PER_BATCH) {
      const count = Math.min(PER_BATCH, minutes - first);
      const chunks = toChunks(syntheticSamples(start + first * 60_000, count * 60, first + 1));
      const { status } = await uploadBatch(server.url, device.deviceToken, { header: {}, chunks, docs: [] });
      if (status !== 201) throw new Error(`sync upload answered ${status}`);
    }
    gc?.();
    const base = process.memoryUsage();
    let peakHeap = base.heapUsed;
    let peakRss = base.rss;
    const sampler = setInterval(() => {
      gc?.();
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }, 100);
    const started = performance.now();
    const bytes = await new Promise<number>((resolve, reject) => {
      http
        .get(`${server.url}/api/backups/export`, { headers: { authorization: `Bearer ${device.deviceToken}` } }, (response) => {
          if (response.statusCode !== 200) return reject(new Error(`export answered ${response.statusCode}`));
          let total = 0;
          response.on('data', (piece: Buffer) => {
            total += piece.length;
          });
          response.on('end', () => resolve(total));
          response.on('error', reject);
        })
        .on('error', reject);
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    return { minutes, archiveMB: bytes / MB, seconds, heapMB: (peakHeap - base.heapUsed) / MB, rssMB: (peakRss - base.rss) / MB };
  } finally {
    await server.dispose();
  }
}

const rows = [await measure(BASE), await measure(BASE * FACTOR)];
console.table(
  rows.map((row) => ({
    'minutes of data': row.minutes.toLocaleString('en'),
    'archive (MB)': row.archiveMB.toFixed(1),
    'export (s)': row.seconds.toFixed(1),
    'heap peak above baseline (MB)': row.heapMB.toFixed(1),
    'RSS peak above baseline (MB)': row.rssMB.toFixed(1),
  })),
);
const [small, large] = rows as [Row, Row];
console.log(`${FACTOR}× the data: heap peak ×${(large.heapMB / Math.max(small.heapMB, 0.1)).toFixed(2)} (target under ×2)`);
