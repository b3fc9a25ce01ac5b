/**
 * Memory of the server while a large archive passes through its archive store: does anything
 * grow with the archive?
 *
 *   npm run bench -- archive-store [MiB,MiB=40,120]
 *
 * For each store (SQLite: DATA_DIR files; Postgres: 1 MiB bytea parts, the machine's server),
 * a server runs in this process and takes an archive of each size three ways: a direct upload, a tus
 * upload in 8 MiB PATCHes, then sends it back whole and as Ranges. The bench's own side
 * generates and hashes the bytes as they stream, never holding the archive. Every 100 ms it
 * forces a GC and reads heapUsed and external memory (Buffers); it prints the peak above the
 * baseline for each step, beside the archive's size.
 */
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BACKUP_ID_HEADER, BACKUP_MEDIA_TYPE, SHA256_HEADER } from '../../src/shared/backup';
import { pathOf } from '../../src/shared/routes';
import { dropSchema, startTestServer, type TestServer, testDatabaseUrl } from '../helpers/server';
import { createAccount } from '../helpers/sync-client';

const MiB = 1024 * 1024;
/** Archive sizes to run, in MiB: if memory followed the archive, the larger would show it. */
const SIZES = (process.argv[2] ?? '40,120').split(',').map((mib) => Number(mib) * MiB);
let SIZE = 0;
const PATCH_BYTES = 8 * MiB;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Byte `i` of the archive: a gzip magic number, then a cheap deterministic pattern. */
function archiveBytes(from: number, to: number): Buffer {
  const bytes = Buffer.alloc(to - from);
  for (let i = from; i < to; i++) bytes[i - from] = i === 0 ? 0x1f : i === 1 ? 0x8b : (i * 2654435761) >>> 24;
  return bytes;
}

/** The archive's bytes from..to as a stream of 64 KiB pieces, made as they are sent. */
function archiveStream(from: number, to: number): ReadableStream<Uint8Array> {
  let at = from;
  return new ReadableStream({
    pull(stream) {
      if (at >= to) return stream.close();
      const next = Math.min(to, at + 64 * 1024);
      stream.enqueue(new Uint8Array(archiveBytes(at, next)));
      at = next;
    },
  });
}

function sha256Of(from: number, to: number): string {
  const hash = createHash('sha256');
  for (let at = from; at < to; at += MiB) hash.update(archiveBytes(at, Math.min(to, at + MiB)));
  return hash.digest('hex');
}

/** POSTs the archive, a MiB at a time, each written once the last has drained. */
async function post(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(SIZE) } });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', async (response) => {
      let body = '';
      for await (const chunk of response) body += chunk;
      resolve({ status: response.statusCode ?? 0, body });
    });
  });
  for (let at = 0; at < SIZE; at += MiB) {
    if (!request.write(archiveBytes(at, Math.min(SIZE, at + MiB)))) await once(request, 'drain');
  }
  request.end();
  return answered;
}

/** Reads a response body through a hash, never keeping it. */
async function hashBody(response: Response): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

/** Collects garbage, and gives V8 a moment to free Buffers' memory, which it does off the main thread. */
async function settle(): Promise<void> {
  gc();
  await sleep(20);
  gc();
}

/** Peak heapUsed and external above the baseline while `step` runs. */
async function measure(step: () => Promise<void>): Promise<{ heap: number; external: number; ms: number }> {
  await settle();
  const base = process.memoryUsage();
  let heap = 0;
  let external = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      await settle();
      const now = process.memoryUsage();
      heap = Math.max(heap, now.heapUsed - base.heapUsed);
      external = Math.max(external, now.external - base.external);
      await sleep(100);
    }
  })();
  const started = performance.now();
  try {
    await step();
  } finally {
    running = false;
    await sampler;
  }
  return { heap, external, ms: performance.now() - started };
}

async function run(label: string, server: TestServer): Promise<string[]> {
  const device = await createAccount(server.url);
  const auth = { authorization: `Bearer ${device.deviceToken}` };
  const sha256 = sha256Of(0, SIZE);
  const rows: string[] = [];
  const row = (step: string, m: { heap: number; external: number; ms: number }) =>
    rows.push(
      `| ${label} | ${step} | ${(SIZE / MiB).toFixed(0)} | ${(m.heap / MiB).toFixed(1)} | ${(m.external / MiB).toFixed(1)} | ${(m.ms / 1000).toFixed(1)} |`,
    );

  const directId = randomUUID();
  row(
    'direct upload',
    await measure(async () => {
      // node:http, writing only when the socket drains: fetch reads a stream body ahead of the
      // socket, and its buffer would be counted as the server's in this one process.
      const answer = await post(`${server.url}/api/backups`, {
        ...auth,
        'content-type': BACKUP_MEDIA_TYPE,
        [SHA256_HEADER]: sha256,
        [BACKUP_ID_HEADER]: directId,
      });
      if (answer.status !== 201) throw new Error(`direct upload: ${answer.status} ${answer.body}`);
    }),
  );

  row(
    'tus upload',
    await measure(async () => {
      const metadata = `backupId ${Buffer.from(randomUUID()).toString('base64')},sha256 ${Buffer.from(sha256).toString('base64')}`;
      const created = await fetch(`${server.url}${pathOf('tusCreate')}`, {
        method: 'POST',
        headers: { ...auth, 'tus-resumable': '1.0.0', 'upload-length': String(SIZE), 'upload-metadata': metadata },
      });
      const url = new URL(created.headers.get('location') ?? '', server.url);
      for (let at = 0; at < SIZE; at += PATCH_BYTES) {
        const patched = await fetch(url, {
          method: 'PATCH',
          headers: { ...auth, 'tus-resumable': '1.0.0', 'upload-offset': String(at), 'content-type': 'application/offset+octet-stream' },
          body: archiveStream(at, Math.min(SIZE, at + PATCH_BYTES)),
          duplex: 'half',
        } as RequestInit);
        if (patched.status >= 300) throw new Error(`tus PATCH at ${at}: ${patched.status} ${await patched.text()}`);
      }
    }),
  );

  row(
    'download whole + 3 Ranges',
    await measure(async () => {
      const whole = await fetch(`${server.url}/api/backups/${directId}`, { headers: auth });
      if ((await hashBody(whole)) !== sha256) throw new Error('the download differs from the upload');
      for (const [start, end] of [
        [0, MiB - 1],
        [SIZE / 2 - 10, SIZE / 2 + 3 * MiB],
        [SIZE - 5 * MiB, SIZE - 1],
      ] as const) {
        const part = await fetch(`${server.url}/api/backups/${directId}`, { headers: { ...auth, range: `bytes=${start}-${end}` } });
        if ((await hashBody(part)) !== sha256Of(start, end + 1)) throw new Error(`Range ${start}-${end} differs`);
      }
    }),
  );
  return rows;
}

const rows = ['| store | step | archive MiB | peak heap MiB | peak external MiB | s |', '| --- | --- | --- | --- | --- | --- |'];
for (SIZE of SIZES) {
  const sqlite = await startTestServer();
  try {
    rows.push(...(await run('SQLite (disk)', sqlite)));
  } finally {
    await sqlite.dispose();
  }
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const postgres = await startTestServer({ sharedSchema: schema });
  try {
    rows.push(...(await run('Postgres (parts)', postgres)));
  } finally {
    await postgres.dispose();
    await dropSchema(testDatabaseUrl(), schema);
  }
}
console.log(rows.join('\n'));
