import { effect } from '@preact/signals';
import { liveReading } from '../armband/live-state';
import { openSteadyDb } from '../db/schema';
import { readChunks } from '../recording/stored-samples';
import { assertNever } from '../shared/assert-never';
import type { DocsBroadcast } from '../shared/messages';
import { CHANNELS } from '../shared/names';
import type { AlertAction } from '../shared/pacing/alert-policy';
import type { AlertSample, Suppression } from '../shared/pacing/alerts';
import type { PacingSettings } from '../shared/pacing/settings-document';
import { type BpmSample, zoneOf } from '../shared/pacing/zones';
import { chunkSamples, minuteStartOf } from '../shared/samples';
import { lastRun } from '../sync/sync-client';
import { type AlertLogEntry, loadAlertLog, saveAlertLog } from './alert-log';
import { learnedZonesReady, offerEligible } from './learned-offer';
import { deliverAlert } from './pacing-alert';
import { type CarriedEpisode, PacingSession } from './pacing-session';
import { notificationPermission, pacingInputs, pacingStatus } from './pacing-state';
import { refreshPacingInputs } from './settings';

/** How often to look for a new day while no samples arrive (the budget resets at local midnight). */
const DAY_CHECK_MS = 60_000;

/**
 * The one pacing monitor of the page: fed by the live heart-rate stream, it runs the alert
 * detector, alerts once per episode, keeps today's load, and publishes it all in pacingStatus.
 * Lives until `lifetime` aborts.
 */
export class PacingMonitor {
  private readonly session: PacingSession;
  /** Whether the samples being counted are the demo armband's (demo data never mixes with real). */
  private demo = false;
  private bpm: number | null = null;
  private t: number | null = null;
  private alert: NonNullable<typeof pacingStatus.value>['alert'] = null;
  /** False until today's stored samples have been read: until then the load would be too low. */
  private dayRead = false;
  private suppressed: Suppression | null = null;
  private quietNow = false;
  private log: AlertLogEntry[];
  private learnedReady = false;
  /** Asked once per page, the first time the settings allow the offer. */
  private offerAsked = false;

  constructor(private readonly lifetime: AbortSignal) {
    const { settings, measured } = pacingInputs.value;
    const carried = loadEpisode();
    this.demo = carried?.demo ?? false;
    this.session = new PacingSession({ settings, measuredRestingHr: measured?.bpm ?? null }, Date.now(), {
      carried: carried?.episode,
    });
    this.log = loadAlertLog(this.session.day);
  }

  start(): void {
    const { lifetime } = this;
    const disposers = [
      effect(() => {
        const { settings, measured } = pacingInputs.value;
        this.session.configure({ settings, measuredRestingHr: measured?.bpm ?? null });
        if (pacingInputs.value.loaded) this.askOffer(settings);
        this.publish();
      }),
      liveReading.subscribe((reading) => {
        if (!reading) return;
        if (reading.demo !== this.demo) this.switchSource(reading.demo, reading.t);
        // Without contact the number is not a heart rate: the session neither alerts on it nor counts it.
        this.onSample({ t: reading.t, bpm: reading.bpm, contact: reading.contact });
      }),
      // After a sync: settings or a measurement may have come from another device, and samples too.
      lastRun.subscribe(() => {
        void refreshPacingInputs().catch((error: unknown) => console.error('Steady: could not read the pacing settings', error));
        void this.readStoredDay();
      }),
    ];
    // A morning reading or a settings change saved on this device: new resting HR or threshold now.
    const docs = new BroadcastChannel(CHANNELS.docs);
    docs.onmessage = (event: MessageEvent<DocsBroadcast>) => {
      const saved = event.data;
      switch (saved.type) {
        case 'DOC_SAVED':
          if (saved.kind !== 'measurement' && saved.kind !== 'settings') return;
          void refreshPacingInputs().catch((error: unknown) => console.error('Steady: could not read the pacing settings', error));
          break;
        default:
          assertNever(saved.type);
      }
    };
    disposers.push(() => docs.close());
    const timer = setInterval(() => this.checkDay(), DAY_CHECK_MS);
    lifetime.addEventListener(
      'abort',
      () => {
        for (const dispose of disposers) dispose();
        clearInterval(timer);
      },
      { once: true },
    );
    void watchPermission(lifetime);
    this.publish();
  }

  /** Finds out once whether Today can offer learned zones (the days are read in the trends worker). */
  private askOffer(settings: PacingSettings): void {
    if (this.offerAsked || !offerEligible(settings)) return;
    this.offerAsked = true;
    learnedZonesReady(settings, this.lifetime).then(
      (ready) => {
        this.learnedReady = ready;
        this.publish();
      },
      (error: unknown) => {
        if (!this.lifetime.aborted) console.warn('Steady: could not read the days of wear', error);
      },
    );
  }

  private onSample(sample: AlertSample): void {
    this.checkDay(sample.t);
    const result = this.session.push(sample);
    saveEpisode(this.session.episode, this.demo);
    this.suppressed = result.suppressed;
    this.quietNow = this.session.isQuiet(sample.t);
    if (!result.suppressed) this.bpm = sample.bpm;
    this.t = sample.t;
    if (result.events.some((event) => event.type === 'episode-end')) this.alert = null;
    for (const action of result.actions) void this.act(action);
    this.publish();
  }

  /**
   * Carries out what the alert policy decided: a held alert is shown on the card and logged; a
   * notification goes out unless alerts are off, and is logged with how it was delivered.
   */
  private async act(action: AlertAction): Promise<void> {
    const { settings } = pacingInputs.value;
    const threshold = this.session.zoneBounds.threshold;
    const base = { t: action.t, bpm: action.bpm, episodeStart: action.episodeStart, threshold };
    const reason = action.type === 'hold' ? 'held' : action.reason;
    if (action.type === 'hold' || !settings.alerts) {
      this.alert = { ...base, delivery: action.type === 'hold' ? 'held' : 'off', problem: null };
      this.record({ ...base, reason, delivery: this.alert.delivery, demo: this.demo });
      return this.publish();
    }
    // Shown in the page at once; the notification may take a moment (waiting for the worker).
    this.alert = { ...base, delivery: 'in-page', problem: null };
    this.publish();
    const outcome = await deliverAlert({
      bpm: action.bpm,
      threshold,
      aboveMs: action.t - action.episodeStart,
      vibrate: settings.vibrate,
      demo: this.demo,
      reason: action.reason,
    });
    this.record({ ...base, reason, delivery: outcome.delivery, demo: this.demo });
    // The episode may have ended while the notification was being shown.
    if (this.alert?.episodeStart === action.episodeStart) this.alert = { ...base, ...outcome };
    this.publish();
  }

  private record(entry: AlertLogEntry): void {
    this.log = [...this.log, entry];
    saveAlertLog(this.session.day, this.log);
  }

  private switchSource(demo: boolean, t: number): void {
    this.demo = demo;
    this.alert = null;
    this.dayRead = false;
    this.session.reset(t);
    void this.readStoredDay();
  }

  /** Starts a new day's budget at local midnight, with or without samples arriving. */
  private checkDay(now = Date.now()): void {
    if (!this.session.rollDay(now)) return;
    this.dayRead = false;
    this.log = loadAlertLog(this.session.day);
    this.publish();
    void this.readStoredDay();
  }

  /** Adds today's recorded samples of the current kind (demo or real, any armband) to the session. */
  private async readStoredDay(): Promise<void> {
    const day = this.session.day;
    const demo = this.demo;
    try {
      const chunks = await readChunks(await openSteadyDb(), minuteStartOf(day));
      if (this.lifetime.aborted || demo !== this.demo || day !== this.session.day) return;
      const samples: BpmSample[] = [];
      for (const chunk of chunks) {
        if (chunk.demo !== demo) continue;
        for (const { t, bpm, contact } of chunkSamples(chunk)) if (contact !== false) samples.push({ t, bpm });
      }
      this.session.addStored(samples, day);
      this.dayRead = true;
      this.publish();
    } catch (error) {
      console.error("Steady: could not read today's heart rate for pacing", error);
    }
  }

  private publish(): void {
    const bounds = this.session.zoneBounds;
    const state = this.session.alertState;
    pacingStatus.value = {
      bounds,
      zones: this.session.activeZones,
      bpm: this.bpm,
      zone: this.bpm === null ? null : zoneOf(this.bpm, bounds),
      phase: state.phase,
      phaseSince: state.since,
      t: this.t,
      load: this.dayRead ? this.session.load : null,
      demo: this.demo,
      alert: this.alert,
      suppressed: this.suppressed,
      quietNow: this.quietNow,
      log: this.log,
      learnedReady: this.learnedReady,
    };
  }
}

/** Keeps notificationPermission current when the person changes it in the browser's site settings. */
async function watchPermission(lifetime: AbortSignal): Promise<void> {
  if (typeof Notification === 'undefined') return;
  notificationPermission.value = Notification.permission;
  try {
    const status = await navigator.permissions.query({ name: 'notifications' });
    status.addEventListener('change', () => (notificationPermission.value = Notification.permission), { signal: lifetime });
  } catch {
    // permissions.query does not know 'notifications' in some browsers: the value read above stands.
  }
}

/** Starts the page's pacing monitor. */
export function startPacingMonitor(lifetime: AbortSignal): PacingMonitor {
  const monitor = new PacingMonitor(lifetime);
  // Subscribing to lastRun reads the settings and today's samples at once (a signal calls back immediately).
  monitor.start();
  return monitor;
}

/**
 * The detector's and the policy's state while an episode is on, kept in sessionStorage (this tab
 * only, it survives a reload): a reload mid-episode carries on instead of alerting a second time,
 * and an alert held for quiet hours is still notified when they end. A stale one is
 * harmless: the detector ends an episode whose last sample is too old (a gap) on the next sample.
 */
const EPISODE_KEY = 'steady-pacing-episode';

/** Whether an episode is in sessionStorage: outside episodes a sample touches no storage at all. */
let episodeStored = true; // a previous page may have left one

function saveEpisode(episode: CarriedEpisode, demo: boolean): void {
  const inEpisode = episode.alert.phase === 'alerted' || episode.alert.phase === 'recovering';
  if (!inEpisode && !episodeStored) return;
  try {
    if (inEpisode) sessionStorage.setItem(EPISODE_KEY, JSON.stringify({ state: episode.alert, policy: episode.policy, demo }));
    else sessionStorage.removeItem(EPISODE_KEY);
    episodeStored = inEpisode;
  } catch {
    // Storage refused (private mode quota): at worst a reload alerts once more.
  }
}

function loadEpisode(): { episode: CarriedEpisode; demo: boolean } | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(EPISODE_KEY) ?? 'null') as {
      state?: CarriedEpisode['alert'];
      policy?: CarriedEpisode['policy'];
      demo?: unknown;
    } | null;
    const state = stored?.state;
    const phases: unknown[] = ['alerted', 'recovering'];
    if (!state || !phases.includes(state.phase) || typeof state.lastT !== 'number' || typeof state.episodeStart !== 'number') return null;
    // Stored by a version without the policy: the episode was notified then (no quiet hours existed).
    const policy = stored.policy ?? { episodeStart: state.episodeStart, held: false, lastNotifiedAt: state.lastT };
    return { episode: { alert: state, policy }, demo: stored.demo === true };
  } catch {
    return null;
  }
}
