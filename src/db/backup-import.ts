import type { ImportResult } from '../shared/backup';
import { ArchiveError, ArchiveReader, type ArchiveRecord, LineSplitter } from '../shared/backup-archive';
import { Sha256 } from '../shared/backup-sha256';
import { mergeChunks, sameChunk } from '../shared/samples';
import { openSteadyDb } from './schema';

/** Records written per IndexedDB transaction: bounds memory and keeps each transaction short. */
const PAGE = 500;

export interface ImportOptions {
  signal?: AbortSignal;
  /** The archive's SHA-256 when known (a stored backup); a mismatch fails the import. */
  expectedSha256?: string | null;
  /** Called after each page is stored: compressed bytes read, records read. */
  onProgress?: (bytes: number, records: number) => void;
}

/**
 * Imports an archive (gzip NDJSON, docs/backup-format.md) into IndexedDB as it streams in.
 * Idempotent: chunks are merged by sample time (mergeChunks), gaps and documents already
 * here are kept as they are, so importing the same archive twice changes nothing the second
 * time. Each page of records is written in its own transaction, after it was read: the
 * network or disk is never awaited inside a transaction.
 */
export async function importArchive(body: ReadableStream<Uint8Array>, options: ImportOptions = {}): Promise<ImportResult> {
  const hash = new Sha256();
  const counting = new TransformStream<Uint8Array, Uint8Array>({
    transform(bytes, controller) {
      hash.update(bytes);
      controller.enqueue(bytes);
    },
  });
  const reader = body
    .pipeThrough(counting)
    .pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)
    .getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const abort = () => void reader.cancel(options.signal?.reason).catch(() => undefined);
  options.signal?.addEventListener('abort', abort, { once: true });
  const splitter = new LineSplitter();
  const archive = new ArchiveReader();
  const result: ImportResult = { chunks: 0, gaps: 0, docs: 0, created: 0, merged: 0, unchanged: 0 };
  let pending: ArchiveRecord[] = [];
  const flush = async () => {
    await writePage(pending, result);
    pending = [];
    options.onProgress?.(hash.length, result.chunks + result.gaps + result.docs);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      options.signal?.throwIfAborted();
      const lines = done
        ? [...splitter.push(decoder.decode()), ...splitter.flush()]
        : splitter.push(decoder.decode(value, { stream: true }));
      pending.push(...archive.read(lines));
      if (pending.length >= PAGE || (done && pending.length > 0)) await flush();
      if (done) break;
    }
    archive.finish();
  } catch (error) {
    options.signal?.throwIfAborted();
    if (error instanceof ArchiveError) throw error;
    // DecompressionStream fails with a bare TypeError on corrupt or truncated gzip.
    throw new ArchiveError(0, 'gzip', `not a complete gzip archive (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  if (options.expectedSha256) {
    const actual = hash.hex();
    if (actual !== options.expectedSha256)
      throw new ArchiveError(0, 'sha256', `archive is ${actual}, the server said ${options.expectedSha256}`);
  }
  return result;
}

async function writePage(records: readonly ArchiveRecord[], result: ImportResult): Promise<void> {
  if (records.length === 0) return;
  const db = await openSteadyDb();
  const tx = db.transaction(['chunks', 'gaps', 'docs'], 'readwrite');
  const chunks = tx.objectStore('chunks');
  const gaps = tx.objectStore('gaps');
  const docs = tx.objectStore('docs');
  const existing = await Promise.all(
    records.map((record) =>
      record.type === 'chunk'
        ? chunks.get(record.data.id)
        : record.type === 'gap'
          ? gaps.get(record.data.id)
          : docs.get(`${record.data.kind}|${record.data.id}`),
    ),
  );
  const now = Date.now();
  const writes: Promise<unknown>[] = [];
  records.forEach((record, i) => {
    const mine = existing[i];
    switch (record.type) {
      case 'chunk': {
        result.chunks++;
        const local = mine as typeof record.data | undefined;
        if (!local) {
          result.created++;
          writes.push(chunks.put(record.data));
          return;
        }
        // Both sides keep every sample: this device may hold minutes the archive lacks.
        const merged = mergeChunks(local, record.data);
        if (sameChunk(merged, local)) result.unchanged++;
        else {
          result.merged++;
          writes.push(chunks.put(merged));
        }
        return;
      }
      case 'gap':
        result.gaps++;
        if (mine) result.unchanged++;
        else {
          result.created++;
          writes.push(gaps.put(record.data));
        }
        return;
      case 'doc':
        // A document here may be a newer edit than an old backup's: restoring only adds what is missing.
        result.docs++;
        if (mine) result.unchanged++;
        else {
          result.created++;
          writes.push(docs.put({ ...record.data, key: `${record.data.kind}|${record.data.id}`, updatedAt: now }));
        }
        return;
    }
  });
  await Promise.all(writes);
  await tx.done;
}
