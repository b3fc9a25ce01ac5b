import type { SourcedSample } from './chunk-batches';

/** When buffered samples go to IndexedDB: after `maxAgeMs`, or as soon as `maxSamples` wait. */
export interface FlushPolicy {
  maxAgeMs: number;
  maxSamples: number;
}

/**
 * One transaction a second keeps a crash from costing more than ~1 s of data, while a burst
 * (PPI frames, a catch-up) never waits for the timer.
 */
export const DEFAULT_FLUSH_POLICY: FlushPolicy = { maxAgeMs: 1_000, maxSamples: 64 };

/**
 * Samples waiting to be written, and the policy that says when. Pure: the caller owns the
 * timer and passes the time, so hidden-tab timer throttling cannot hold data back for long:
 * every `add` also checks the age.
 */
export class SampleBuffer {
  private entries: SourcedSample[] = [];
  private oldestAt: number | null = null;

  constructor(private readonly policy: FlushPolicy = DEFAULT_FLUSH_POLICY) {}

  /** Adds a sample received at `now`; true when the buffer should be flushed now. */
  add(entry: SourcedSample, now: number): boolean {
    this.entries.push(entry);
    this.oldestAt ??= now;
    return this.isDue(now);
  }

  /** True when the oldest sample has waited `maxAgeMs` or `maxSamples` are waiting. */
  isDue(now: number): boolean {
    if (this.oldestAt === null) return false;
    return this.entries.length >= this.policy.maxSamples || now - this.oldestAt >= this.policy.maxAgeMs;
  }

  /** When the oldest sample falls due, or null when empty: for the caller's timer. */
  dueAt(): number | null {
    return this.oldestAt === null ? null : this.oldestAt + this.policy.maxAgeMs;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Removes and returns everything buffered, oldest first. */
  take(): SourcedSample[] {
    const taken = this.entries;
    this.entries = [];
    this.oldestAt = null;
    return taken;
  }

  /** Puts back samples whose write failed, ahead of newer ones, keeping their original age. */
  restore(entries: readonly SourcedSample[], since: number): void {
    if (entries.length === 0) return;
    this.entries = [...entries, ...this.entries];
    this.oldestAt = Math.min(since, this.oldestAt ?? since);
  }
}
