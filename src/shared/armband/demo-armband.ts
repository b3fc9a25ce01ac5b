/**
 * The demo armband: a deterministic source of realistic resting heart rate and RR intervals, so
 * Steady can be tried (and tested end to end) without a strap. Pure: it holds no timers; the
 * caller asks for the next reading when its own clock says a notification is due.
 *
 * The RR series is built beat by beat: a mean the page can move, an Ornstein–Uhlenbeck drift
 * and a slow wave on top, respiratory sinus arrhythmia (~0.25 Hz, ±4.5 % of the interval),
 * white jitter, and rare premature beats followed by a full compensatory pause (short + long
 * ≈ two normal beats), the pattern of a premature ventricular contraction.
 */
import { MAX_INTERVAL_MS, MIN_INTERVAL_MS } from './interval-range';

export { encodeHeartRateMeasurement } from './heart-rate-measurement';

/** One demo notification: what parseHeartRateMeasurement gives for a real strap, plus when it was sent. */
export interface DemoReading {
  /** Epoch ms of the notification. */
  t: number;
  bpm: number;
  contact: boolean | null;
  /** Beats that ended since the previous reading, whole ms, oldest first. */
  rrMs: number[];
}

/** How the demo armband behaves; only `seed` is required. */
export interface DemoArmbandOptions {
  /** Same seed, same readings. */
  seed: number;
  /** Resting heart rate the series hovers around, 30–220 bpm; 65 by default. */
  meanBpm?: number;
  /** Epoch ms the armband was "put on"; the first reading is one interval later. 0 by default. */
  startMs?: number;
  /** Time between notifications in ms; 1000 by default, as real straps send. */
  intervalMs?: number;
  /** Chance that a beat is premature, 0–0.5; 0.004 by default (a few per 15 minutes). */
  ectopicProbability?: number;
}

/** A running demo armband. */
export interface DemoArmband {
  /** The next notification, `intervalMs` after the previous one. */
  next(): DemoReading;
  /** Moves the mean the heart rate drifts towards (over ~20 s), e.g. to show an over-threshold episode. */
  setMeanBpm(bpm: number): void;
}

const LEVEL_TAU_S = 20;
const DRIFT_TAU_S = 60;
const DRIFT_SD_BPM = 2;
const WAVE_BPM = 1.5;
const WAVE_PERIOD_S = 900;
const BREATH_HZ = 0.25;
const BREATH_WOBBLE_HZ = 0.01;
const BREATH_WOBBLE_PERIOD_S = 600;
const RSA_FRACTION = 0.045;
const JITTER_SD_MS = 6;
const SMOOTHING_BEATS = 5;

/** Starts a demo armband; throws RangeError for options outside the documented ranges. */
export function createDemoArmband(options: DemoArmbandOptions): DemoArmband {
  const { seed, startMs = 0, intervalMs = 1000, ectopicProbability = 0.004 } = options;
  let target = checkMean(options.meanBpm ?? 65);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!(intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${intervalMs}`);
  if (!(ectopicProbability >= 0 && ectopicProbability <= 0.5))
    throw new RangeError(`ectopicProbability must be 0–0.5, got ${ectopicProbability}`);

  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const wavePhase = 2 * Math.PI * random();
  const wobblePhase = 2 * Math.PI * random();
  let level = target;
  let drift = 0;
  let breathPhase = 2 * Math.PI * random();
  let compensatory: number | null = null;

  let beatEnd = 0; // ms since start at which the last emitted beat ended
  let tick = 0;
  let upcoming = beatAfter(0, 0);
  const recent: number[] = [];

  /** The interval of the beat starting at `startS` seconds, `dtS` after the previous beat started. */
  function beatAfter(startS: number, dtS: number): number {
    if (compensatory !== null) {
      const pause = compensatory;
      compensatory = null;
      return pause;
    }
    level += (target - level) * (1 - Math.exp(-dtS / LEVEL_TAU_S));
    const decay = Math.exp(-dtS / DRIFT_TAU_S);
    drift = drift * decay + DRIFT_SD_BPM * Math.sqrt(1 - decay * decay) * gauss();
    const bpm = Math.max(30, level + drift + WAVE_BPM * Math.sin((2 * Math.PI * startS) / WAVE_PERIOD_S + wavePhase));
    const breathHz = BREATH_HZ + BREATH_WOBBLE_HZ * Math.sin((2 * Math.PI * startS) / BREATH_WOBBLE_PERIOD_S + wobblePhase);
    breathPhase += 2 * Math.PI * breathHz * dtS;
    const normal = clamp((60_000 / bpm) * (1 + RSA_FRACTION * Math.sin(breathPhase)) + JITTER_SD_MS * gauss());
    if (random() >= ectopicProbability) return normal;
    const premature = clamp(normal * (0.62 + 0.1 * random()));
    compensatory = clamp(2 * normal - premature);
    return premature;
  }

  return {
    next() {
      tick += intervalMs;
      const rrMs: number[] = [];
      while (beatEnd + upcoming <= tick) {
        const startS = beatEnd / 1000;
        beatEnd += upcoming;
        rrMs.push(upcoming);
        recent.push(upcoming);
        if (recent.length > SMOOTHING_BEATS) recent.shift();
        upcoming = beatAfter(beatEnd / 1000, beatEnd / 1000 - startS);
      }
      // Straps report a heart rate averaged over the last few beats, not the last interval.
      const window = recent.length > 0 ? recent : [upcoming];
      const bpm = Math.round(60_000 / (window.reduce((a, b) => a + b, 0) / window.length));
      return { t: startMs + tick, bpm, contact: true, rrMs };
    },
    setMeanBpm(bpm) {
      target = checkMean(bpm);
    },
  };
}

/** The first `count` readings of a demo armband: convenient for tests and fixtures. */
export function demoReadings(options: DemoArmbandOptions, count: number): DemoReading[] {
  const armband = createDemoArmband(options);
  return Array.from({ length: count }, () => armband.next());
}

function checkMean(bpm: number): number {
  if (!(bpm >= 30 && bpm <= 220)) throw new RangeError(`meanBpm must be 30–220, got ${bpm}`);
  return bpm;
}

// Keeps every interval inside the plausible range, so demo data never trips the parsers' warnings.
function clamp(ms: number): number {
  return Math.round(Math.min(Math.max(ms, MIN_INTERVAL_MS + 50), MAX_INTERVAL_MS - 500));
}

// mulberry32 (Tommy Ettinger, public domain): tiny, fast, and good enough for synthetic physiology.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
