import { type ActiveZones, activeZones } from '../shared/pacing/active-zones';
import {
  type AlertAction,
  type AlertPolicyState,
  INITIAL_POLICY_STATE,
  inQuietHours,
  localMinuteOf,
  stepAlertPolicy,
} from '../shared/pacing/alert-policy';
import {
  type AlertDetector,
  type AlertEvent,
  type AlertSample,
  type AlertState,
  createAlertDetector,
  INITIAL_ALERT_STATE,
  type Suppression,
  suppressionOf,
} from '../shared/pacing/alerts';
import { type DayLoad, dayLoad } from '../shared/pacing/budget';
import type { PacingSettings } from '../shared/pacing/settings';
import type { BpmSample, ZoneBounds } from '../shared/pacing/zones';

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

/** An episode carried over from before a reload: the detector's state and the alert policy's. */
export interface CarriedEpisode {
  alert: AlertState;
  policy: AlertPolicyState;
}

/** Local time as the session needs it; tests pass fixed ones so they do not depend on the machine's time zone. */
export interface SessionClock {
  dayStartOf: (t: number) => number;
  minuteOfDay: (t: number) => number;
}

const LOCAL_CLOCK: SessionClock = { dayStartOf: localDayStart, minuteOfDay: localMinuteOf };

/** What a live sample caused. */
export interface PushResult {
  /** The detector's events (alert, episode-end). */
  events: AlertEvent[];
  /** What the alert policy says to do about them: notify, or hold for quiet hours. */
  actions: AlertAction[];
  /** Why the sample could not alert (no skin contact, implausible), or null. */
  suppressed: Suppression | null;
}

/** A day is 23 to 25 hours long, so 30 hours after a midnight is always within the next day. */
const INTO_NEXT_DAY_MS = 30 * 3_600_000;

/**
 * One day of pacing in memory, free of the DOM so it runs in tests: the alert detector and its
 * policy (quiet hours, gentle repeat) over the live samples and the day's load over stored plus
 * live samples. Samples without skin contact neither alert nor count. The load is kept up to date
 * per sample by adding the load of the newest span (dayLoad over that one pair), and computed
 * again in full only when the samples or the bounds change.
 */
export class PacingSession {
  private detector: AlertDetector;
  private policy: AlertPolicyState;
  private zones: ActiveZones;
  private config: SessionConfig;
  private samples: BpmSample[] = [];
  private total: DayLoad;
  private dayStart: number;

  private readonly clock: SessionClock;

  /** `carried`: an episode carried over from before a reload, so it does not alert twice. */
  constructor(config: SessionConfig, now: number, options: { clock?: SessionClock; carried?: CarriedEpisode } = {}) {
    this.clock = options.clock ?? LOCAL_CLOCK;
    this.config = config;
    this.dayStart = this.clock.dayStartOf(now);
    this.zones = zonesFor(config, this.dayStart);
    this.detector = createAlertDetector(alertConfigFor(config, this.bounds), options.carried?.alert ?? INITIAL_ALERT_STATE);
    this.policy = options.carried?.policy ?? INITIAL_POLICY_STATE;
    this.total = this.fullLoad();
  }

  /** New settings or resting HR: new bounds and budget; an episode in progress carries on. */
  configure(config: SessionConfig): void {
    this.config = config;
    this.zones = zonesFor(config, this.dayStart);
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
    this.dayStart = this.clock.dayStartOf(now);
    this.detector = createAlertDetector(alertConfigFor(this.config, this.bounds));
    this.policy = INITIAL_POLICY_STATE;
    this.total = this.fullLoad();
  }

  /**
   * A live sample: updates the load, runs the detector and the alert policy, and returns what it
   * caused. A sample without skin contact is not a heart rate: it is neither counted nor alerted on.
   */
  push(sample: AlertSample): PushResult {
    const last = this.samples[this.samples.length - 1];
    if (last && sample.t <= last.t) return { events: [], actions: [], suppressed: null };
    this.rollDay(sample.t);
    const suppressed = suppressionOf(sample);
    if (sample.contact === false) return { events: [], actions: [], suppressed };
    const reading = { t: sample.t, bpm: sample.bpm };
    this.samples.push(reading);
    if (last) this.total = addLoads(this.total, dayLoad([last, reading], this.bounds, this.loadOptions()));
    if (suppressed) return { events: [], actions: [], suppressed };
    const events = this.detector.push(sample);
    const { settings } = this.config;
    const step = stepAlertPolicy(
      { threshold: this.bounds.threshold, repeatMs: settings.repeatMinutes === null ? null : settings.repeatMinutes * 60_000 },
      this.policy,
      {
        t: sample.t,
        bpm: sample.bpm,
        phase: this.detector.state.phase,
        events,
        quiet: inQuietHours(settings.quietHours, this.clock.minuteOfDay(sample.t)),
      },
    );
    this.policy = step.state;
    return { events, actions: step.actions, suppressed: null };
  }

  /** Whether `t` falls in the quiet hours of the current settings. */
  isQuiet(t: number): boolean {
    return inQuietHours(this.config.settings.quietHours, this.clock.minuteOfDay(t));
  }

  /**
   * Starts a new budget once local midnight has passed (true when it did). The last sample stays
   * so the span across midnight counts from 00:00; an episode in progress carries on.
   */
  rollDay(now: number): boolean {
    if (now < this.clock.dayStartOf(this.dayStart + INTO_NEXT_DAY_MS)) return false;
    const last = this.samples[this.samples.length - 1];
    this.dayStart = this.clock.dayStartOf(now);
    this.zones = zonesFor(this.config, this.dayStart);
    this.samples = last ? [last] : [];
    this.total = this.fullLoad();
    return true;
  }

  get zoneBounds(): ZoneBounds {
    return this.bounds;
  }

  /** The bounds with how they were worked out. */
  get activeZones(): ActiveZones {
    return this.zones;
  }

  private get bounds(): ZoneBounds {
    return this.zones.bounds;
  }

  /** What to store so a reload mid-episode carries on (see CarriedEpisode). */
  get episode(): CarriedEpisode {
    return { alert: this.detector.state, policy: this.policy };
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

function zonesFor({ settings, measuredRestingHr }: SessionConfig, day: number): ActiveZones {
  return activeZones(settings, measuredRestingHr, day);
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
