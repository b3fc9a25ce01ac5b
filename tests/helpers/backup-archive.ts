import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { BACKUP_ID_HEADER, BACKUP_MEDIA_TYPE, SHA256_HEADER } from '../../src/shared/backup';
import { ArchiveReader, archiveHeader, encodeLine, LineSplitter } from '../../src/shared/backup-archive';
import type { SampleChunk } from '../../src/shared/samples';
import type { DocRecord } from '../../src/shared/sync/batch-codec';

/** An archive as a device would pack it, with its SHA-256 (hex). */
export function buildArchive(chunks: SampleChunk[], docs: DocRecord[] = []): { bytes: Buffer; sha256: string } {
  let text = encodeLine(archiveHeader('device', null, null));
  for (const chunk of chunks) text += encodeLine({ type: 'chunk', data: chunk });
  for (const doc of docs) text += encodeLine({ type: 'doc', data: doc });
  text += encodeLine({ type: 'end', counts: { chunks: chunks.length, gaps: 0, docs: docs.length } });
  const bytes = zlib.gzipSync(text);
  return { bytes, sha256: sha256Hex(bytes) };
}

/** Random bytes behind a gzip header: an "archive" of a given size that does not compress. */
export function opaqueArchive(size: number, seed = 7): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.alloc(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  bytes[0] = 0x1f;
  bytes[1] = 0x8b;
  return { bytes, sha256: sha256Hex(bytes) };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads an archive back: its header and records, validated as the app does. */
export function readArchive(bytes: Uint8Array) {
  const reader = new ArchiveReader();
  const splitter = new LineSplitter();
  const text = zlib.gunzipSync(bytes).toString('utf8');
  const records = reader.read([...splitter.push(text), ...splitter.flush()]);
  return { header: reader.header, records, counts: reader.finish() };
}

/** POST /api/backups with `archive` as the device with `token`, as the app sends it; answers the response. */
export function storeBackup(
  baseUrl: string,
  token: string,
  archive: { bytes: Buffer; sha256: string },
  backupId: string,
): Promise<Response> {
  return fetch(`${baseUrl}/api/backups`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': BACKUP_MEDIA_TYPE,
      [SHA256_HEADER]: archive.sha256,
      [BACKUP_ID_HEADER]: backupId,
    },
    body: new Uint8Array(archive.bytes),
  });
}
