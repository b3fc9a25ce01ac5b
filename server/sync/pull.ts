import type { Kysely } from 'kysely';
import type { SampleChunk } from '../../src/shared/samples';
import { chunkSamples } from '../../src/shared/samples';
import { DOC_KINDS, type DocKind, type DocRecord } from '../../src/shared/sync/batch-codec';
import type { Reading } from '../../src/shared/sync/protocol';
import type { Database } from '../db/schema';
import { bodyToChunk, encodeCursor } from './record-codec';

export interface PullPage {
  chunks: SampleChunk[];
  docs: DocRecord[];
  cursor: string;
  more: boolean;
}

/**
 * Changes in the account after `afterSeq`, in server order, written by other devices (a device
 * already has what it uploaded itself). The cursor moves past the device's own changes too.
 */
export async function pullChanges(
  db: Kysely<Database>,
  accountId: string,
  deviceId: string,
  afterSeq: number,
  limit: number,
): Promise<PullPage> {
  const rows = await db
    .selectFrom('sync_records')
    .select(['kind', 'record_id', 'seq', 'device_id', 'body'])
    .where('account_id', '=', accountId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const chunks: SampleChunk[] = [];
  const docs: DocRecord[] = [];
  for (const row of page) {
    if (row.device_id === deviceId) continue;
    if (row.kind === 'chunk') chunks.push(bodyToChunk(row.body));
    else if (DOC_KINDS.includes(row.kind as DocKind))
      docs.push({ kind: row.kind as DocKind, id: row.record_id, body: JSON.parse(row.body) });
  }
  const last = page[page.length - 1];
  return { chunks, docs, cursor: encodeCursor(last ? Number(last.seq) : afterSeq), more };
}

/** Heart-rate samples of the account between two instants, oldest first. */
export async function readReadings(db: Kysely<Database>, accountId: string, from: number, to: number): Promise<Reading[]> {
  const rows = await db
    .selectFrom('sync_records')
    .select('body')
    .where('account_id', '=', accountId)
    .where('kind', '=', 'chunk')
    .where('t', '>', from - 60_000)
    .where('t', '<', to)
    .orderBy('t')
    .execute();
  const readings: Reading[] = [];
  for (const row of rows) {
    const chunk = bodyToChunk(row.body);
    for (const sample of chunkSamples(chunk)) {
      if (sample.t < from || sample.t >= to) continue;
      readings.push({
        t: new Date(sample.t).toISOString(),
        bpm: sample.bpm,
        contact: sample.contact,
        intervalsMs: sample.intervalsMs,
        intervalKind: chunk.intervalKind,
        sourceId: chunk.sourceId,
        demo: chunk.demo,
      });
    }
  }
  return readings.sort((a, b) => a.t.localeCompare(b.t));
}
