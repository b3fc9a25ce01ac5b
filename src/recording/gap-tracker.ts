import type { RecordingGap } from '../shared/samples';

/** Gap reasons the recorder writes. */
export type GapReason = RecordingGap['reason'];

/** A gap that started at `start`; `end` null while it lasts. */
export function openGap(sourceId: string, start: number, reason: GapReason): RecordingGap {
  return { id: `${sourceId}|${start}`, sourceId, start, end: null, reason };
}

/**
 * Tracks, per source, the last sample time and any gap in progress. Pure: it returns the gap
 * records to write and the caller writes them. A gap opens at the last sample before the
 * disconnection (not at the moment it was noticed) and closes at the first sample after, so
 * the stored samples and gaps tile time without overlap.
 */
export class GapTracker {
  private readonly lastSample = new Map<string, number>();
  private readonly open = new Map<string, RecordingGap>();

  /** Notes a sample; returns the gap it closes, if one was open. */
  sample(sourceId: string, t: number): RecordingGap | null {
    this.lastSample.set(sourceId, t);
    const gap = this.open.get(sourceId);
    if (!gap) return null;
    this.open.delete(sourceId);
    return { ...gap, end: Math.max(t, gap.start) };
  }

  /**
   * Notes that data stopped; returns the open gap to write, or null when this source has no
   * sample yet (nothing recorded, so nothing is missing) or a gap is already open.
   */
  stopped(sourceId: string, reason: GapReason): RecordingGap | null {
    if (this.open.has(sourceId)) return null;
    const last = this.lastSample.get(sourceId);
    if (last === undefined) return null;
    const gap = openGap(sourceId, last, reason);
    this.open.set(sourceId, gap);
    return gap;
  }

  /** Adopts a gap found open in storage (left by an earlier page), so the next sample closes it. */
  adopt(gap: RecordingGap): void {
    if (gap.end === null && !this.open.has(gap.sourceId)) this.open.set(gap.sourceId, gap);
  }

  /** The gap in progress for a source, for the live chart. */
  openGapOf(sourceId: string): RecordingGap | null {
    return this.open.get(sourceId) ?? null;
  }

  /** The last sample time seen for a source in this page. */
  lastSampleOf(sourceId: string): number | null {
    return this.lastSample.get(sourceId) ?? null;
  }
}
