import type { SteadyDb } from '../db/schema';
import type { ArchiveCounts } from '../shared/backup';
import { type ArchiveLine, archiveHeader, encodeLine } from '../shared/backup-archive';
import { Sha256 } from '../shared/backup-sha256';

/** Records read per IndexedDB request. */
const PAGE = 256;
/** Compressed bytes gathered before they are handed to a Blob (which Chromium keeps out of the JS heap, on disk when large). */
const PART_BYTES = 4 * 1024 * 1024;

export interface PackedArchive {
  archive: Blob;
  bytes: number;
  sha256: string;
  counts: ArchiveCounts;
}

/**
 * Packs chunks, gaps and documents into one archive: IndexedDB is read a page at a time as
 * the gzip stream asks for more (a pull stream, so backpressure bounds what is in memory),
 * and the compressed bytes are hashed as they come out and gathered into Blob parts.
 * Memory stays flat whatever the size; the hash needs no second pass over the archive.
 */
export async function packArchive(
  db: SteadyDb,
  identity: { accountId: string | null; deviceId: string | null },
  options: { signal?: AbortSignal; onProgress?: (bytes: number, records: number) => void } = {},
): Promise<PackedArchive> {
  const counts: ArchiveCounts = { chunks: 0, gaps: 0, docs: 0 };
  const compressed = archiveLines(db, identity, counts)
    .pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)
    .getReader();
  const hash = new Sha256();
  const parts: Blob[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const seal = () => {
    parts.push(new Blob(pending as BlobPart[]));
    pending = [];
    pendingBytes = 0;
  };
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const { done, value } = await compressed.read();
      if (done) break;
      hash.update(value);
      pending.push(value);
      pendingBytes += value.byteLength;
      if (pendingBytes >= PART_BYTES) {
        seal();
        options.onProgress?.(hash.length, counts.chunks + counts.gaps + counts.docs);
      }
    }
  } catch (error) {
    await compressed.cancel(error).catch(() => undefined);
    throw error;
  }
  seal();
  return { archive: new Blob(parts, { type: 'application/gzip' }), bytes: hash.length, sha256: hash.hex(), counts };
}

type Store = 'chunks' | 'gaps' | 'docs';
const STORES: readonly Store[] = ['chunks', 'gaps', 'docs'];

/** The archive's NDJSON as UTF-8, one page of records per pull, in key order per store. */
function archiveLines(db: SteadyDb, identity: { accountId: string | null; deviceId: string | null }, counts: ArchiveCounts) {
  const encoder = new TextEncoder();
  let store = 0;
  let after: string | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(encodeLine(archiveHeader('device', identity.accountId, identity.deviceId))));
          return;
        }
        for (let name = STORES[store]; name; name = STORES[store]) {
          const range: IDBKeyRange | undefined = after === null ? undefined : IDBKeyRange.lowerBound(after, true);
          const page = await db.getAll(name, range, PAGE);
          if (page.length === 0) {
            store++;
            after = null;
            continue;
          }
          let text = '';
          for (const value of page) {
            const line = toLine(name, value);
            counts[name]++;
            text += encodeLine(line);
          }
          const last = page[page.length - 1];
          after = last && 'key' in last ? last.key : (last?.id ?? null);
          controller.enqueue(encoder.encode(text));
          return;
        }
        controller.enqueue(encoder.encode(encodeLine({ type: 'end', counts: { ...counts } })));
        controller.close();
      },
    },
    // One page at a time: the next is read only when gzip has taken this one.
    { highWaterMark: 1 },
  );
}

function toLine(store: Store, value: Awaited<ReturnType<SteadyDb['getAll']>>[number]): ArchiveLine {
  switch (store) {
    case 'chunks':
      return { type: 'chunk', data: value as ArchiveLineData<'chunk'> };
    case 'gaps':
      return { type: 'gap', data: value as ArchiveLineData<'gap'> };
    case 'docs': {
      const { kind, id, body } = value as ArchiveLineData<'doc'>;
      return { type: 'doc', data: { kind, id, body } };
    }
  }
}

type ArchiveLineData<T extends ArchiveLine['type']> = Extract<ArchiveLine, { type: T }> extends { data: infer D } ? D : never;
