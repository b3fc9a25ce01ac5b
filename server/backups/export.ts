import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Kysely } from 'kysely';
import type { ArchiveCounts } from '../../src/shared/backup';
import { type ArchiveLine, archiveHeader, encodeLine } from '../../src/shared/backup-archive';
import { DOC_KINDS, type DocKind } from '../../src/shared/sync/batch-codec';
import type { Database } from '../db/schema';
import { quarantinedHere } from '../sync/quarantine';
import { bodyToChunk, chunkBodyCounts } from '../sync/record-codec';

/** Rows read per query. */
const PAGE = 500;
/**
 * Stored bytes turned into archive lines between two turns of the event loop: 500 minutes at
 * the chunk limits take ~0.5 s to decode and encode, so a page is cut into slices of ~20 ms.
 */
const BYTES_PER_TURN = 128 * 1024;

/**
 * The account's synced records as an archive (docs/backup-format.md), built as it is read:
 * pages of rows in primary-key order (keyset pagination, so each record appears once even
 * while devices keep syncing; kinds this version does not know are left out), each page
 * encoded and gzipped before the next is read.
 * `Readable.from` pulls only when gzip and the socket want more, so memory stays flat.
 * A minute past the chunk limits is moved to quarantine and left out (the archive importer
 * would refuse it, and with it the whole archive); `onQuarantined` hears of each.
 */
export function exportArchive(db: Kysely<Database>, accountId: string, deviceId: string, onQuarantined: () => void = () => {}): Readable {
  // pipeline (not pipe): a failed query destroys the gzip stream, so the client sees a cut
  // archive (no end line) rather than a short one that looks whole; a client that goes away
  // stops the queries.
  return pipeline(
    Readable.from(exportLines(db, accountId, deviceId, onQuarantined), { objectMode: false }),
    zlib.createGzip({ level: 6 }),
    () => undefined,
  );
}

/** The archive's lines, in pieces; between two pieces other requests get the event loop. Exported for its test. */
export async function* exportLines(
  db: Kysely<Database>,
  accountId: string,
  deviceId: string,
  onQuarantined: () => void = () => {},
): AsyncGenerator<Buffer> {
  yield Buffer.from(encodeLine(archiveHeader('server', accountId, deviceId)));
  const counts: ArchiveCounts = { chunks: 0, gaps: 0, docs: 0 };
  // Kind by kind, each in record-id order: every page is one range scan of the primary key.
  for (const kind of ['chunk', ...DOC_KINDS]) {
    let after = '';
    for (;;) {
      const rows = await db
        .selectFrom('sync_records')
        .select(['record_id', 'body'])
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('record_id', '>', after)
        .orderBy('record_id')
        .limit(PAGE)
        .execute();
      if (rows.length === 0) break;
      let text = '';
      let bytes = 0;
      for (const row of rows) {
        if (kind === 'chunk' && (await quarantinedHere(db, accountId, { kind, record_id: row.record_id }, chunkBodyCounts(row.body)))) {
          onQuarantined();
          continue;
        }
        const line = toLine(kind, row.record_id, row.body);
        if (line.type === 'chunk') counts.chunks++;
        else counts.docs++;
        text += encodeLine(line);
        bytes += row.body.length;
        if (bytes >= BYTES_PER_TURN) {
          yield Buffer.from(text);
          text = '';
          bytes = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      after = rows[rows.length - 1]?.record_id ?? after;
      if (text) yield Buffer.from(text);
    }
  }
  yield Buffer.from(encodeLine({ type: 'end', counts }));
}

function toLine(kind: string, recordId: string, body: string): ArchiveLine {
  if (kind === 'chunk') return { type: 'chunk', data: bodyToChunk(body) };
  return { type: 'doc', data: { kind: kind as DocKind, id: recordId, body: JSON.parse(body) } };
}
