import { randomUUID } from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBatch } from '../../src/shared/sync/batch-codec';
import { SYNC_MEDIA_TYPE } from '../../src/shared/sync/protocol';
import { freshPostgresSchema, ServerProcess } from '../helpers/server-process';
import { expectExactlySamples, serverReadings } from '../helpers/sync-assertions';
import { createAccount, syntheticSamples, toChunks } from '../helpers/sync-client';

const started: ServerProcess[] = [];
const dropped: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.dispose()));
  for (const drop of dropped.splice(0)) await drop();
});

/** A server process on SQLite, or on a fresh schema of the machine's Postgres (which must answer). */
async function startOn(engine: 'sqlite' | 'postgres', env: Record<string, string> = {}): Promise<ServerProcess> {
  let database: Record<string, string> = {};
  if (engine === 'postgres') {
    const { url, schema, drop } = await freshPostgresSchema('t_shutdown');
    dropped.push(drop);
    database = { DATABASE_URL: url, DATABASE_SCHEMA: schema };
  }
  // info: the request log says when the server has the upload's headers.
  const server = await ServerProcess.start({ env: { LOG_LEVEL: 'info', ...database, ...env }, name: `${engine} server` });
  started.push(server);
  return server;
}

/** A sync upload sent as a slow client would: headers and half the body now, the rest when `finish()` is called. */
function slowUpload(server: ServerProcess, token: string, body: Buffer) {
  const batchId = randomUUID();
  const request = http.request(`${server.url}/api/sync/batches/${batchId}`, {
    method: 'PUT',
    agent: false,
    headers: { 'content-type': SYNC_MEDIA_TYPE, 'content-length': body.length, authorization: `Bearer ${token}` },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.once('error', reject);
    });
    request.once('error', reject);
  });
  // Awaited by the test; a test that fails before then must not leave it unhandled.
  answer.catch(() => undefined);
  request.write(body.subarray(0, body.length >> 1));
  // Fastify logs "incoming request" once it has the headers: the request is in flight from then on.
  const arrived = server.waitForOutput(new RegExp(`incoming request.*${batchId}|${batchId}.*incoming request`));
  return { batchId, answer, arrived, finish: () => request.end(body.subarray(body.length >> 1)) };
}

/** A request on a connection of its own: the status, or the connection error's code. */
function freshConnection(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = http.get(`${url}/api/health`, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe.each(['sqlite', 'postgres'] as const)('SIGTERM on %s', (engine) => {
  it('finishes and stores the upload in flight, refuses new work, and exits 0', { timeout: 60_000 }, async () => {
    const server = await startOn(engine);
    const device = await createAccount(server.url);
    const samples = syntheticSamples(Date.UTC(2026, 11, 1, 8), 3600);
    const chunks = toChunks(samples, 'strap');
    const upload = slowUpload(server, device.deviceToken, zlib.gzipSync(encodeBatch({ header: {}, chunks, docs: [] })));
    await upload.arrived;

    const exited = server.signal('SIGTERM');
    await server.waitForOutput(/SIGTERM: closing/);
    // A new connection is not served: the port is closed, or the connection is dropped as the
    // server closes its idle ones, or (before it stops listening) the request is answered 503.
    expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(await freshConnection(server.url));

    upload.finish();
    const answer = await upload.answer;
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ batchId: upload.batchId, records: chunks.length, created: chunks.length });
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(await freshConnection(server.url)).toBe('ECONNREFUSED');

    // Stored: the next start serves every sample.
    await server.restart();
    const readings = await serverReadings(server.url, device.deviceToken, Date.UTC(2026, 11, 1, 8), Date.UTC(2026, 11, 1, 10));
    expectExactlySamples(readings, samples);
  });
});

describe('SIGTERM with a request that does not finish', () => {
  it('waits SHUTDOWN_TIMEOUT_MS, logs the request it cuts, and exits 1', { timeout: 60_000 }, async () => {
    const server = await startOn('sqlite', { SHUTDOWN_TIMEOUT_MS: '1000' });
    const device = await createAccount(server.url);
    const body = zlib.gzipSync(encodeBatch({ header: {}, chunks: toChunks(syntheticSamples(Date.UTC(2026, 11, 2, 8), 600)), docs: [] }));
    const stalled = slowUpload(server, device.deviceToken, body);
    await stalled.arrived;

    const sent = Date.now();
    expect(await server.signal('SIGTERM')).toEqual({ code: 1, signal: null });
    expect(Date.now() - sent).toBeGreaterThanOrEqual(1000);
    const cut = server.output.find((line) => line.includes('cutting them')) ?? '';
    expect(cut).toContain(`PUT /api/sync/batches/${stalled.batchId}`);
    expect(cut).not.toContain(device.deviceToken);
  });
});
