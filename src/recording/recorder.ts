import { openSteadyDb, type SteadyDb } from '../db/schema';
import type { RecordingGap } from '../shared/samples';
import { groupIntoChunks, type SourcedSample } from './chunk-batches';
import { writeChunkBatches } from './chunk-writer';
import { type GapReason, GapTracker, openGap } from './gap-tracker';
import { emitRecordingEvent } from './recording-events';
import { DEFAULT_FLUSH_POLICY, type FlushPolicy, SampleBuffer } from './sample-buffer';
import { lastStoredSampleTime, openGapsOf } from './stored-samples';

export interface RecorderOptions {
  open?: () => Promise<SteadyDb>;
  policy?: FlushPolicy;
  /** Wall-clock ms, for the flush policy only (sample times come with the samples). */
  now?: () => number;
}

/**
 * Gets every sample into IndexedDB within ~1 s: samples are buffered and written in one
 * transaction per flush (never one per notification), and flushed early when the page is
 * hidden or unloaded, so a crash or a closed tab loses at most the last second or so.
 * Also writes the gaps: opened when a source stops, closed by its next sample.
 */
export class Recorder {
  private readonly buffer: SampleBuffer;
  private readonly tracker = new GapTracker();
  private readonly pendingGaps: RecordingGap[] = [];
  private readonly open: () => Promise<SteadyDb>;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(options: RecorderOptions = {}) {
    this.open = options.open ?? openSteadyDb;
    this.now = options.now ?? Date.now;
    this.buffer = new SampleBuffer(options.policy ?? DEFAULT_FLUSH_POLICY);
  }

  /** Flushes when the page is hidden or unloaded, until `signal` aborts (then flushes once more). */
  start(signal: AbortSignal): void {
    const flushNow = () => void this.flush();
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flushNow(), { signal });
    // pagehide, not unload/beforeunload: it fires on mobile and with the back/forward cache.
    window.addEventListener('pagehide', flushNow, { signal });
    signal.addEventListener('abort', flushNow, { once: true });
  }

  /**
   * Before a source records in this page: adopts a gap an earlier page left open, or, when
   * that page was closed mid-recording, opens a `page-closed` gap from its last stored sample.
   * The source's next sample closes it.
   */
  async resume(sourceId: string, wasRecording: boolean): Promise<void> {
    const db = await this.open();
    const open = await openGapsOf(db, sourceId);
    for (const gap of open) this.tracker.adopt(gap);
    if (open.length > 0 || !wasRecording || this.tracker.lastSampleOf(sourceId) !== null) return;
    const last = await lastStoredSampleTime(db, sourceId, this.now());
    if (last !== null) this.tracker.adopt(openGap(sourceId, last, 'page-closed'));
  }

  /** Queues one sample; it reaches IndexedDB within `policy.maxAgeMs`. */
  record(entry: SourcedSample): void {
    const closed = this.tracker.sample(entry.sourceId, entry.sample.t);
    if (closed) this.pendingGaps.push(closed);
    if (this.buffer.add(entry, this.now())) void this.flush();
    else this.schedule();
  }

  /** A source stopped sending (disconnected, lost contact): writes an open gap from its last sample. */
  stopped(sourceId: string, reason: GapReason): void {
    const gap = this.tracker.stopped(sourceId, reason);
    if (!gap) return;
    this.pendingGaps.push(gap);
    void this.flush();
  }

  /** The gap in progress for a source (for the live chart). */
  openGapOf(sourceId: string): RecordingGap | null {
    return this.tracker.openGapOf(sourceId);
  }

  /** Writes everything buffered; resolves when it is committed (or has failed and been put back). */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writeOnce());
    return this.chain;
  }

  private schedule(): void {
    const due = this.buffer.dueAt();
    if (this.timer !== null || due === null) return;
    this.timer = setTimeout(() => void this.flush(), Math.max(0, due - this.now()));
  }

  private async writeOnce(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const entries = this.buffer.take();
    const gaps = this.pendingGaps.splice(0);
    if (entries.length === 0 && gaps.length === 0) return;
    try {
      const chunks = await writeChunkBatches(await this.open(), groupIntoChunks(entries), gaps);
      if (chunks.length > 0) emitRecordingEvent({ type: 'CHUNKS_WRITTEN', chunks });
      if (gaps.length > 0) emitRecordingEvent({ type: 'GAPS_WRITTEN', gaps });
    } catch (error) {
      // Keep the data in memory and try again a flush interval later: a full disk or a blocked
      // upgrade is usually temporary, and dropping heart-rate data never is the answer.
      this.buffer.restore(entries, this.now());
      this.pendingGaps.unshift(...gaps);
      emitRecordingEvent({
        type: 'WRITE_FAILED',
        errorName: error instanceof Error ? error.name : 'Error',
        message: error instanceof Error ? error.message : String(error),
        retrying: true,
        waitingSamples: this.buffer.size,
      });
      this.schedule();
    }
  }
}
