import { type ArmbandIdentity, armbandState, liveReading } from '../armband/live-state';
import { PPI_WARM_UP_S } from '../shared/hrv/artifacts';
import type { IntervalKind } from '../shared/samples';

/** What the guided reading shows while it runs. */
export interface CaptureProgress {
  phase: 'settling' | 'capturing';
  /** Whole seconds left in this phase. */
  remainingS: number;
  /** Length of this phase, s. */
  phaseS: number;
  /** Beat intervals collected so far in the capture phase. */
  beats: number;
  /** The newest heart rate, whatever the phase. */
  bpm: number | null;
  /** False when the armband reports no skin contact. */
  contact: boolean | null;
}

/** A finished capture: every interval that arrived during the capture phase, in order. */
export interface Capture {
  intervalsMs: number[];
  intervalKind: IntervalKind;
  source: ArmbandIdentity;
  startedAt: number;
  endedAt: number;
}

/** Why a capture stopped early, for code; the message says it for people. */
export class CaptureError extends Error {
  constructor(
    readonly code: 'armband-lost',
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

/**
 * Seconds to settle before capture. An optical sensor's first PPI arrives ~25 s after it
 * starts and is unreliable until then (artifacts.ts, PPI_WARM_UP_S), so it waits that long more.
 */
export function settleFor(settleS: number, kind: IntervalKind): number {
  return settleS + (kind === 'ppi' ? PPI_WARM_UP_S : 0);
}

/**
 * Collects beat intervals from the streaming armband: settles for `settleS` (plus a PPI
 * warm-up), then keeps every interval that arrives for `captureS` seconds. The phases are
 * timed by the wall clock the person watches, so the HRV maths needs no trim of its own. Any
 * break in streaming rejects with a CaptureError: successive differences taken across a
 * reconnection would be wrong. Rejects with an AbortError when `signal` aborts (Cancel).
 */
export function captureIntervals(
  plan: { settleS: number; captureS: number },
  signal: AbortSignal,
  onProgress: (progress: CaptureProgress) => void,
): Promise<Capture> {
  return new Promise<Capture>((resolve, reject) => {
    const state = armbandState.peek();
    if (state.kind !== 'streaming') {
      reject(new CaptureError('armband-lost', 'No armband is recording. Connect it on Today, then start again.'));
      return;
    }
    const { armband: source, intervals: intervalKind } = state;
    const startedAt = Date.now();
    const settleMs = settleFor(plan.settleS, intervalKind) * 1000;
    const captureFrom = startedAt + settleMs;
    const endAt = captureFrom + plan.captureS * 1000;
    const intervalsMs: number[] = [];
    let bpm: number | null = null;
    let contact: boolean | null = null;
    let first = true;

    const progress = () => {
      const now = Date.now();
      const settling = now < captureFrom;
      onProgress({
        phase: settling ? 'settling' : 'capturing',
        remainingS: Math.max(0, Math.ceil(((settling ? captureFrom : endAt) - now) / 1000)),
        phaseS: settling ? settleMs / 1000 : plan.captureS,
        beats: intervalsMs.length,
        bpm,
        contact,
      });
    };
    const stopReadings = liveReading.subscribe((reading) => {
      // subscribe() calls back at once with the reading already shown: not a new beat.
      if (first || !reading) {
        first = false;
        return;
      }
      bpm = reading.bpm;
      contact = reading.contact;
      if (Date.now() >= captureFrom) intervalsMs.push(...reading.intervalsMs);
    });
    const stopState = armbandState.subscribe((next) => {
      if (next.kind === 'streaming' && next.armband.id === source.id && next.intervals === intervalKind) return;
      finish(() =>
        reject(
          new CaptureError(
            'armband-lost',
            `${source.name} stopped recording during the reading, so it could not be finished. Start again when it is connected.`,
          ),
        ),
      );
    });
    const timer = setInterval(() => {
      if (Date.now() >= endAt) finish(() => resolve({ intervalsMs, intervalKind, source, startedAt, endedAt: Date.now() }));
      else progress();
    }, 250);
    const onAbort = () => finish(() => reject(signal.reason ?? new DOMException('The reading was cancelled', 'AbortError')));
    signal.addEventListener('abort', onAbort, { once: true });

    let done = false;
    function finish(settle: () => void) {
      if (done) return;
      done = true;
      clearInterval(timer);
      stopReadings();
      stopState();
      signal.removeEventListener('abort', onAbort);
      settle();
    }
    if (signal.aborted) onAbort();
    else progress();
  });
}
