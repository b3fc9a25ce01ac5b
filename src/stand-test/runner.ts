import { sampleClock } from '../armband/clock';
import { armbandState, liveReading } from '../armband/live-state';
import { baselineOf } from '../shared/stand-test/analysis';
import { type BpReading, CONTACT_LIMIT_S, STAND_MINUTES, type StandTestRecord, type Symptom } from '../shared/stand-test/protocol';
import { putDraft } from './draft-store';

/** Where a running test is: lying, waiting for the person to stand, standing, or done standing (the minute-10 prompt). */
export type RunPhase = 'lying' | 'stand-now' | 'standing' | 'final-prompt';

/** What the running screen shows, once a second. */
export interface RunView {
  phase: RunPhase;
  /** Seconds into the phase (lying, standing); for `stand-now`, seconds since lying ended. */
  elapsedS: number;
  /** Seconds the phase lasts (lying, standing). */
  phaseS: number;
  bpm: number | null;
  contact: boolean | null;
  /** Baseline heart rate once standing (mean of the last 2 minutes lying). */
  baselineHr: number | null;
  /** Seconds since the last heart rate, when over 5: shown as a warning before the limit refuses the test. */
  silentS: number;
}

/** How a run ended: with a record to analyse, or refused live because the heart rate was lost. */
export type RunEnd = { kind: 'ended'; record: StandTestRecord } | { kind: 'contact-lost'; record: StandTestRecord; reason: string };

const STAND_MS = STAND_MINUTES * 60_000;

/**
 * Runs a stand test against the streaming armband: keeps every reading in the record, moves
 * from lying to standing on the person's tap, ends after 10 minutes standing or on "I need to
 * sit down", and refuses after CONTACT_LIMIT_S without a heart rate. Writes the record to
 * IndexedDB each second (never for the demo armband). Phases and samples share one clock,
 * the armband's monotonic sample clock (src/armband/clock.ts), so a wall-clock jump mid-test
 * cannot move the baseline window against the readings.
 */
export class StandTestRun {
  private readonly stops: (() => void)[] = [];
  private phase: RunPhase = 'lying';
  private lyingDoneAt: number;
  private bpm: number | null = null;
  private contact: boolean | null = null;
  private lastHeard: number;
  private finished = false;
  private baselineHr: number | null = null;

  constructor(
    readonly record: StandTestRecord,
    private readonly onView: (view: RunView) => void,
    private readonly onEnd: (end: RunEnd) => void,
  ) {
    this.lyingDoneAt = record.startedAt + record.lyingMinutes * 60_000;
    this.lastHeard = record.startedAt;
    let first = true;
    this.stops.push(
      liveReading.subscribe((reading) => {
        // subscribe() calls back at once with the reading already shown: not a new one.
        if (first || !reading) {
          first = false;
          return;
        }
        this.record.samples.push({ t: reading.t, bpm: reading.bpm, contact: reading.contact, intervalsMs: [...reading.intervalsMs] });
        this.bpm = reading.bpm;
        this.contact = reading.contact;
        if (reading.contact !== false) this.lastHeard = reading.t;
      }),
    );
    const timer = setInterval(() => this.tick(), 1000);
    this.stops.push(() => clearInterval(timer));
    this.tick();
  }

  /** The source is still the armband the test started with. */
  static armbandReady(): boolean {
    return armbandState.peek().kind === 'streaming';
  }

  /** The person is on their feet: standing time starts now. */
  stood(): void {
    if (this.phase !== 'stand-now' && this.phase !== 'lying') return;
    this.record.standAt = sampleClock();
    this.baselineHr = baselineOf(this.record.samples, this.record.standAt)?.hr ?? null;
    this.phase = 'standing';
    this.tick();
  }

  /** "I need to sit down": ends the test now, keeping what was recorded. */
  sitDown(): void {
    if (this.finished) return;
    const now = sampleClock();
    if (this.phase !== 'final-prompt') {
      this.record.stop = { at: now, reason: 'sit-down' };
      this.record.endedAt = now;
    }
    this.end({ kind: 'ended', record: this.record });
  }

  /** A prompt's answers: blood pressure (optional) and the symptoms ticked. */
  answer(minute: number, bp: Omit<BpReading, 'minute'> | null, symptoms: Symptom[]): void {
    this.record.bp = [...this.record.bp.filter((r) => r.minute !== minute), ...(bp ? [{ minute, ...bp }] : [])];
    if (minute > 0) this.record.symptoms = [...this.record.symptoms.filter((e) => e.minute !== minute), { minute, symptoms }];
    void this.save();
  }

  /** After the minute-10 prompt: the test is complete. */
  complete(): void {
    if (this.phase === 'final-prompt') this.end({ kind: 'ended', record: this.record });
  }

  /** Leaving the screen: stops listening; the draft stays for the next visit. */
  dispose(): void {
    this.finished = true;
    for (const stop of this.stops.splice(0)) stop();
  }

  private tick(): void {
    if (this.finished) return;
    const now = sampleClock();
    const silentMs = now - this.lastHeard;
    if (this.phase !== 'final-prompt' && silentMs > CONTACT_LIMIT_S * 1000) {
      this.record.endedAt = now;
      this.end({
        kind: 'contact-lost',
        record: this.record,
        reason: `No heart rate for more than ${CONTACT_LIMIT_S} s (no reading, or the armband reported no skin contact), so the test stopped: a rise measured across that gap could be anything. Check the armband's fit and try again another time.`,
      });
      return;
    }
    if (this.phase === 'lying' && now >= this.lyingDoneAt) this.phase = 'stand-now';
    const standAt = this.record.standAt;
    if (this.phase === 'standing' && standAt !== null && now >= standAt + STAND_MS) {
      this.record.endedAt = standAt + STAND_MS;
      this.phase = 'final-prompt';
    }
    this.onView({
      phase: this.phase,
      elapsedS: Math.floor(
        (now - (this.phase === 'lying' ? this.record.startedAt : this.phase === 'stand-now' ? this.lyingDoneAt : (standAt ?? now))) / 1000,
      ),
      phaseS: this.phase === 'lying' ? this.record.lyingMinutes * 60 : STAND_MINUTES * 60,
      bpm: this.bpm,
      contact: this.contact,
      baselineHr: this.baselineHr,
      silentS: silentMs > 5000 ? Math.floor(silentMs / 1000) : 0,
    });
    void this.save();
  }

  private async save(): Promise<void> {
    if (this.record.source.demo || this.finished) return;
    try {
      await putDraft(this.record);
    } catch {
      // A full disk: the test goes on in memory and its result is still saved at the end.
    }
  }

  private end(end: RunEnd): void {
    if (this.finished) return;
    this.dispose();
    this.onEnd(end);
  }
}
