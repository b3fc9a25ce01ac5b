import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import type { CreateAccountResponse, CreatePairingCodeResponse, JoinAccountResponse } from '../../src/shared/api';
import { appendToChunk, emptyChunk, type HeartRateSample, minuteStartOf, type SampleChunk } from '../../src/shared/samples';
import { decodeBatch, encodeBatch, type SyncBatch } from '../../src/shared/sync/batch-codec';
import { type PullHeader, SYNC_MEDIA_TYPE } from '../../src/shared/sync/protocol';

/** Creates an account over HTTP; answers the new device's credentials. */
export async function createAccount(baseUrl: string, name = 'test device'): Promise<CreateAccountResponse> {
  const response = await fetch(`${baseUrl}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201) throw new Error(`account creation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreateAccountResponse;
}

/** Asks for a one-time pairing code with a device's token. */
export async function makePairingCode(baseUrl: string, deviceToken: string): Promise<CreatePairingCodeResponse> {
  const response = await fetch(`${baseUrl}/api/pairing-codes`, { method: 'POST', headers: { authorization: `Bearer ${deviceToken}` } });
  if (response.status !== 201) throw new Error(`pairing code refused: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreatePairingCodeResponse;
}

/** Joins the account of `trusted` (a device already in it) with a fresh pairing code; answers the new device's credentials. */
export async function joinAccount(baseUrl: string, trusted: { deviceToken: string }, name = 'second device'): Promise<JoinAccountResponse> {
  const { code } = await makePairingCode(baseUrl, trusted.deviceToken);
  const response = await fetch(`${baseUrl}/api/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pairingCode: code, name }),
  });
  if (response.status !== 201) throw new Error(`join failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as JoinAccountResponse;
}

/** PUTs a batch the way the app does; `raw` sends those exact bytes instead. */
export async function uploadBatch(
  baseUrl: string,
  token: string,
  batch: SyncBatch | { raw: Uint8Array<ArrayBuffer> },
  batchId: string = randomUUID(),
) {
  const bytes = 'raw' in batch ? batch.raw : zlib.gzipSync(encodeBatch(batch));
  const response = await fetch(`${baseUrl}/api/sync/batches/${batchId}`, {
    method: 'PUT',
    headers: { 'content-type': SYNC_MEDIA_TYPE, authorization: `Bearer ${token}` },
    body: bytes,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, batchId };
}

/** One pull page. */
export async function pull(baseUrl: string, token: string, cursor?: string, limit?: number) {
  const query = new URLSearchParams();
  if (cursor) query.set('cursor', cursor);
  if (limit) query.set('limit', String(limit));
  const response = await fetch(`${baseUrl}/api/sync/changes?${query}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`pull failed: ${response.status} ${await response.text()}`);
  const batch = decodeBatch(zlib.gunzipSync(Buffer.from(await response.arrayBuffer())));
  return { ...batch, header: batch.header as PullHeader };
}

/** Samples one second apart from `start`, with one or two RR intervals each. */
export function syntheticSamples(start: number, count: number, seed = 1): HeartRateSample[] {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  return Array.from({ length: count }, (_, i) => {
    const bpm = 60 + Math.round(random() * 20);
    const rr = Math.round(60000 / bpm);
    return { t: start + i * 1000, bpm, contact: true, intervalsMs: random() < 0.2 ? [rr - 15, rr + 10] : [rr] };
  });
}

/** Groups samples into minute chunks, as the recorder does. */
export function toChunks(samples: HeartRateSample[], sourceId = 'armband-1', demo = false): SampleChunk[] {
  const chunks = new Map<number, SampleChunk>();
  for (const sample of samples) {
    const minute = minuteStartOf(sample.t);
    let chunk = chunks.get(minute);
    if (!chunk) {
      chunk = emptyChunk(sourceId, demo, 'rr', sample.t);
      chunks.set(minute, chunk);
    }
    appendToChunk(chunk, [sample]);
  }
  return [...chunks.values()];
}
