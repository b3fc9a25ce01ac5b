import type { RecordingGap } from '../shared/samples';
import type { ChunkRef } from './chunk-writer';

/**
 * What the recorder tells the rest of the page after a transaction committed. Sync subscribes
 * to CHUNKS_WRITTEN to queue the chunks for upload; the live chart to GAPS_WRITTEN.
 */
export type RecordingEvent =
  | { type: 'CHUNKS_WRITTEN'; chunks: ChunkRef[] }
  | { type: 'GAPS_WRITTEN'; gaps: RecordingGap[] }
  /** `errorName` is the DOMException name, e.g. 'QuotaExceededError' when storage is full. */
  | { type: 'WRITE_FAILED'; errorName: string; message: string; retrying: boolean; waitingSamples: number };

type Listener = (event: RecordingEvent) => void;

const listeners = new Set<Listener>();

/** Calls `listener` for every recording event until `signal` aborts. */
export function onRecordingEvent(listener: Listener, signal?: AbortSignal): void {
  if (signal?.aborted) return;
  listeners.add(listener);
  signal?.addEventListener('abort', () => listeners.delete(listener), { once: true });
}

/** Sends an event to every listener; one listener throwing does not stop the others or the recorder. */
export function emitRecordingEvent(event: RecordingEvent): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      console.error('Steady: a recording event listener failed', error);
    }
  }
}
