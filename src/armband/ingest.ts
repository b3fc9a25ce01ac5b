import type { SourcedSample } from '../recording/chunk-batches';
import { parseBatteryLevel } from '../shared/armband/battery-level';
import { parseHeartRateMeasurement } from '../shared/armband/heart-rate-measurement';
import { parsePpiFrame, usablePpiIntervals } from '../shared/armband/polar-pmd';
import { CHUNK_LIMITS, minuteStartOf } from '../shared/samples';
import { type SampleClock, sampleClock } from './clock';
import { liveHistory } from './live-history';
import { type ArmbandIdentity, batteryLevel, type Diagnostics, diagnostics, liveReading } from './live-state';

/** Where kept samples go: the recorder. */
export interface SampleSink {
  record(entry: SourcedSample): void;
}

// Outside 20–300 bpm a value is a sensor fault, not a heart rate (the parser rejects only 0).
const MIN_BPM = 20;
const MAX_BPM = 300;
// PPI intervals wait for the next heart-rate notification; a minute of them at most.
const MAX_PENDING_PPI = 120;

/**
 * The one path from notification bytes to a stored sample, for real armbands and the demo
 * alike: parse, check, stamp with the sample clock, hand to the recorder and the live view.
 * Handlers never throw (they run inside `characteristicvaluechanged`); a value that cannot be
 * trusted is counted with its reason and never recorded.
 */
export class ArmbandIngest {
  private pendingPpi: number[] = [];
  private ppi = false;
  /** What this source recorded in the current minute, held to CHUNK_LIMITS (sync refuses more). */
  private minute = { start: -1, samples: 0, intervals: 0 };

  constructor(
    private readonly source: ArmbandIdentity,
    private readonly sink: SampleSink,
    private readonly clock: SampleClock = sampleClock,
  ) {}

  /**
   * Takes beat intervals from Polar PPI from now on. Optical sensors send no RR in 0x2A37, so
   * PPI intervals ride on the next heart-rate sample, recorded as intervalKind 'ppi'.
   */
  usePpi(active: boolean): void {
    this.ppi = active;
    this.pendingPpi = [];
  }

  /** A Heart Rate Measurement (0x2A37) value. */
  heartRate(view: DataView): void {
    this.guard(() => {
      const parsed = parseHeartRateMeasurement(view);
      if (!parsed.ok) return this.reject(parsed.code, parsed.reason);
      const { bpm, contact, rrMs } = parsed.value;
      if (bpm < MIN_BPM || bpm > MAX_BPM) return this.reject('implausible-bpm', `${bpm} bpm is outside ${MIN_BPM}–${MAX_BPM}`);
      const intervalsMs = this.ppi ? this.pendingPpi.splice(0) : rrMs;
      const t = this.clock();
      if (minuteStartOf(t) !== this.minute.start) this.minute = { start: minuteStartOf(t), samples: 0, intervals: 0 };
      if (this.minute.samples >= CHUNK_LIMITS.samples || this.minute.intervals + intervalsMs.length > CHUNK_LIMITS.intervals)
        return this.reject(
          'too-fast',
          `more than ${CHUNK_LIMITS.samples} readings or ${CHUNK_LIMITS.intervals} beat intervals in a minute; no heart or armband sends that much`,
        );
      this.minute.samples++;
      this.minute.intervals += intervalsMs.length;
      this.sink.record({
        sourceId: this.source.id,
        demo: this.source.demo,
        intervalKind: this.ppi ? 'ppi' : 'rr',
        sample: { t, bpm, contact, intervalsMs },
      });
      liveReading.value = { t, bpm, contact, intervalsMs, demo: this.source.demo };
      liveHistory.push(this.source.id, { t, bpm });
      const warning = parsed.warnings.join('; ');
      this.count((d) => ({
        ...d,
        kept: d.kept + 1,
        warnings: d.warnings + (warning ? 1 : 0),
        last: warning ? { at: t, message: warning } : d.last,
      }));
    });
  }

  /** A PMD data notification carrying PPI samples. */
  ppiFrame(view: DataView): void {
    this.guard(() => {
      const parsed = parsePpiFrame(view);
      if (!parsed.ok) return this.reject(`ppi-${parsed.code}`, parsed.reason);
      const { intervalsMs, dropped } = usablePpiIntervals(parsed.samples);
      this.pendingPpi.push(...intervalsMs);
      const overflow = Math.max(0, this.pendingPpi.length - MAX_PENDING_PPI);
      this.pendingPpi.splice(0, overflow);
      const droppedCount = dropped.blocker + dropped.noContact + dropped.error + dropped.range + overflow;
      const message =
        droppedCount > 0
          ? `dropped PPI: ${dropped.blocker} movement, ${dropped.noContact} no contact, ${dropped.error} large error, ${dropped.range} of 0 ms, ${overflow} unclaimed`
          : null;
      this.count((d) => ({ ...d, ppiDropped: d.ppiDropped + droppedCount, last: message ? { at: Date.now(), message } : d.last }));
    });
  }

  /** A Battery Level (0x2A19) value. */
  battery(view: DataView): void {
    this.guard(() => {
      const parsed = parseBatteryLevel(view);
      if (parsed.ok) batteryLevel.value = parsed.value;
      else this.reject(`battery-${parsed.code}`, parsed.reason);
    });
  }

  private guard(work: () => void): void {
    this.count((d) => ({ ...d, received: d.received + 1 }));
    try {
      work();
    } catch (error) {
      // A bug here must not take the notification stream down with it: count it and go on.
      this.reject('internal', error instanceof Error ? error.message : String(error));
    }
  }

  private reject(code: string, reason: string): void {
    this.count((d) => ({
      ...d,
      rejected: { ...d.rejected, [code]: (d.rejected[code] ?? 0) + 1 },
      last: { at: Date.now(), message: `${code}: ${reason}` },
    }));
  }

  private count(change: (d: Diagnostics) => Diagnostics): void {
    diagnostics.value = change(diagnostics.value);
  }
}
