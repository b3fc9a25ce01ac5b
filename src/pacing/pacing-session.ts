import { type AlertDetector, type AlertEvent, type AlertState, createAlertDetector, INITIAL_ALERT_STATE } from '../shared/pacing/alerts';
import { type DayLoad, dayLoad } from '../shared/pacing/budget';
import { effectiveRestingHr, type PacingSettings } from '../shared/pacing/settings';
import { type BpmSample, type ZoneBounds, zoneBounds } from '../shared/pacing/zones';

/** What a session is computed from. */
export interface SessionConfig {
  settings: PacingSettings;
  /** Resting HR of the latest morning measurement, if any. */
  measuredRestingHr: number | null;
}

/** Local midnight of the day containing `t`: the pacing day is the person's calendar day. */
export function localDayStart(t: number): number {
  const day = new Date(t);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/** A day is 23 to 25 hours long, so 30 hours after a midnight is always within the next day. */
const INTO_NEXT_DAY_MS = 30 * 3_600_000;

/**
 * One day of pacing in memory, free of the DOM so it runs in tests: the alert detector over the
 * live samples and the day's load over stored plus live samples. The load is kept up to date
 * per sample by adding the load of the newest span (dayLoad over that one pair), and computed
 * again in full only when the samples or the bounds change.
 */
export class PacingSession {
  private detector: AlertDetector;
  private bounds: ZoneBounds;
  private config: SessionConfig;
  private samples: BpmSample[] = [];
  private total: DayLoad;
  private dayStart: number;

  /** `alertState`: an episode carried over from before a reload, so it does not alert twice. */
  constructor(
    config: SessionConfig,
    now: number,
    private readonly dayStartOf: (t: number) => number = localDayStart,
    alertState: AlertState = INITIAL_ALERT_STATE,
  ) {
    this.config = config;
    this.bounds = boundsFor(config);
    this.detector = createAlertDetector(alertConfigFor(config, this.bounds), alertState);
    this.dayStart = dayStartOf(now);
    this.total = this.fullLoad();
  }

  /** New settings or resting HR: new bounds and budget; an episode in progress carries on. */
  configure(config: SessionConfig): void {
    this.config = config;
    this.bounds = boundsFor(config);
    this.detector = createAlertDetector(alertConfigFor(config, this.bounds), this.detector.state);
    this.total = this.fullLoad();
  }

  /**
   * Adds the day's stored samples (ascending or not) for the day starting at `dayStart`. They
   * may overlap the live ones already pushed: a sample at a time already held is not doubled.
   * Ignored if the day has moved on since the read began.
   */
  addStored(stored: readonly BpmSample[], dayStart: number): void {
    if (dayStart !== this.dayStart) return;
    const byTime = new Map<number, BpmSample>();
    for (const sample of stored) if (sample.t >= dayStart) byTime.set(sample.t, sample);
    for (const sample of this.samples) byTime.set(sample.t, sample);
    this.samples = [...byTime.values()].sort((a, b) => a.t - b.t);
    this.total = this.fullLoad();
  }

  /** Starts over with no samples and a calm detector (the source changed, e.g. demo ↔ armband). */
  reset(now: number): void {
    this.samples = [];
    this.dayStart = this.dayStartOf(now);
    this.detector = createAlertDetector(alertConfigFor(this.config, this.bounds));
    this.total = this.fullLoad();
  }

  /** A live sample: updates the load, runs the detector, and returns what it caused. */
  push(sample: BpmSample): AlertEvent[] {
    const last = this.samples[this.samples.length - 1];
    if (last && sample.t <= last.t) return [];
    this.rollDay(sample.t);
    this.samples.push(sample);
    if (last) this.total = addLoads(this.total, dayLoad([last, sample], this.bounds, this.loadOptions()));
    return this.detector.push(sample);
  }

  /**
   * Starts a new budget once local midnight has passed (true when it did). The last sample stays
   * so the span across midnight counts from 00:00; an episode in progress carries on.
   */
  rollDay(now: number): boolean {
    if (now < this.dayStartOf(this.dayStart + INTO_NEXT_DAY_MS)) return false;
    const last = this.samples[this.samples.length - 1];
    this.dayStart = this.dayStartOf(now);
    this.samples = last ? [last] : [];
    this.total = this.fullLoad();
    return true;
  }

  get zoneBounds(): ZoneBounds {
    return this.bounds;
  }

  get load(): DayLoad {
    return this.total;
  }

  get alertState(): AlertState {
    return this.detector.state;
  }

  /** Local midnight that today's load counts from. */
  get day(): number {
    return this.dayStart;
  }

  private loadOptions() {
    return { limit: this.config.settings.dailyPoints, from: this.dayStart };
  }

  private fullLoad(): DayLoad {
    return dayLoad(this.samples, this.bounds, this.loadOptions());
  }
}

function boundsFor({ settings, measuredRestingHr }: SessionConfig): ZoneBounds {
  return zoneBounds(effectiveRestingHr(settings, measuredRestingHr).bpm, settings.threshold);
}

function alertConfigFor({ settings }: SessionConfig, bounds: ZoneBounds) {
  return { threshold: bounds.threshold, dwellMs: settings.dwellSeconds * 1000 };
}

/** The sum of two loads over disjoint time, against `a`'s limit. */
function addLoads(a: DayLoad, b: DayLoad): DayLoad {
  const ms = { rest: a.ms.rest + b.ms.rest, activity: a.ms.activity + b.ms.activity, exertion: a.ms.exertion + b.ms.exertion };
  const points = a.points + b.points;
  return {
    ms,
    aboveThresholdMs: ms.exertion,
    recordedMs: ms.rest + ms.activity + ms.exertion,
    points,
    limit: a.limit,
    remaining: Math.max(0, a.limit - points),
    over: Math.max(0, points - a.limit),
  };
}
