import { signal } from '@preact/signals';

/** One point of the live chart. */
export interface HistoryPoint {
  t: number;
  bpm: number;
}

/** A stretch without data, for the chart's gap markers; `end` null while it lasts. */
export interface HistoryGap {
  start: number;
  end: number | null;
}

/**
 * The last few minutes of one source, in memory, for the live chart: seeded from IndexedDB
 * when a source starts, then fed by every kept sample. `version` changes on every change; the
 * chart throttles its redraws itself.
 */
export class LiveHistory {
  readonly version = signal(0);
  private points: HistoryPoint[] = [];
  private gaps: HistoryGap[] = [];
  private source: string | null = null;

  constructor(readonly windowMs: number) {}

  /** Starts over for `sourceId` with stored points and gaps (older than any live point). */
  reset(sourceId: string | null, points: HistoryPoint[] = [], gaps: HistoryGap[] = []): void {
    this.source = sourceId;
    this.points = points;
    this.gaps = gaps;
    this.version.value++;
  }

  /** Adds stored points older than the first live one (a late load does not reorder). */
  seed(sourceId: string, points: readonly HistoryPoint[], gaps: readonly HistoryGap[]): void {
    if (sourceId !== this.source) return;
    const first = this.points[0]?.t ?? Number.POSITIVE_INFINITY;
    this.points = [...points.filter((p) => p.t < first), ...this.points];
    const known = new Set(this.gaps.map((g) => g.start));
    this.gaps = [...gaps.filter((g) => !known.has(g.start)), ...this.gaps].sort((a, b) => a.start - b.start);
    this.version.value++;
  }

  get sourceId(): string | null {
    return this.source;
  }

  push(sourceId: string, point: HistoryPoint): void {
    if (sourceId !== this.source) return;
    this.points.push(point);
    // Trim in bulk now and then rather than shifting on every sample.
    if (this.points.length > 4 * (this.windowMs / 1000)) this.trim(point.t);
    this.version.value++;
  }

  /** Records that a gap opened or closed (matched by start). */
  gap(sourceId: string, gap: HistoryGap): void {
    if (sourceId !== this.source) return;
    const at = this.gaps.findIndex((g) => g.start === gap.start);
    if (at >= 0) this.gaps[at] = gap;
    else this.gaps.push(gap);
    this.version.value++;
  }

  /** The points and gaps of the window ending at `now`. */
  snapshot(now: number): { points: HistoryPoint[]; gaps: HistoryGap[] } {
    const from = now - this.windowMs;
    const start = this.points.findIndex((p) => p.t >= from);
    return {
      points: start < 0 ? [] : this.points.slice(start),
      gaps: this.gaps.filter((g) => g.end === null || g.end >= from),
    };
  }

  private trim(now: number): void {
    const from = now - this.windowMs;
    this.points = this.points.filter((p) => p.t >= from);
    this.gaps = this.gaps.filter((g) => g.end === null || g.end >= from);
  }
}

/** The live chart's history: the last five minutes. */
export const liveHistory = new LiveHistory(5 * 60_000);
