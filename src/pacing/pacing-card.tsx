import { useEffect } from 'preact/hooks';
import { armbandState } from '../armband/live-state';
import type { ThresholdBasis } from '../shared/pacing/active-zones';
import type { QuietHours } from '../shared/pacing/alert-policy';
import type { RestingHrSource } from '../shared/pacing/settings';
import { PLAUSIBLE_BPM, type Zone, type ZoneBounds } from '../shared/pacing/zones';
import { AlertLogList } from './alert-log-list';
import { AllowAlerts } from './allow-alerts';
import { startPacing } from './pacing-control';
import { type PacingStatus, pacingInputs, pacingStatus } from './pacing-state';

const ZONE_NAMES: Record<Zone, string> = { rest: 'Rest', activity: 'Activity', exertion: 'Exertion' };
const RESTING_SOURCE: Record<RestingHrSource, string> = {
  typed: 'resting HR typed by hand',
  measurement: 'resting HR from your morning measurement',
  default: 'resting HR assumed until a morning measurement exists',
};

/**
 * Today's pacing: the zone now, the threshold, time above it today, pace points against the
 * daily limit, and the alert state. Colour always comes with words: the zone is named, the
 * budget is written out.
 */
export function PacingCard() {
  useEffect(() => {
    void startPacing().catch((error: unknown) => console.error('Steady: could not start the pacing monitor', error));
  }, []);
  const status = pacingStatus.value;
  const { settings, loaded } = pacingInputs.value;
  const streaming = armbandState.value.kind === 'streaming';
  return (
    <section class="card pacing-card" aria-labelledby="pacing-title" data-testid="pacing-card">
      <div class="pacing-head">
        <h2 id="pacing-title" class="card-title">
          Pacing
        </h2>
        {status?.demo && <span class="pill pill-demo">Demo</span>}
      </div>
      <ZoneNow status={status} live={streaming} />
      <p role="status" aria-live="polite" class="pacing-phase" data-testid="pacing-alert-state">
        {phaseText(status, streaming, settings.alerts, settings.dwellSeconds)}
        {streaming && quietText(status, settings.quietHours)}
      </p>
      {status?.alert && status.alert.delivery === 'in-page' && (
        <div role="alert" class="pacing-banner" data-testid="pacing-banner">
          <strong>Time to rest.</strong> Heart rate {status.alert.bpm} bpm, above your {status.alert.threshold} bpm threshold.
          {status.alert.problem && <span class="small"> (Shown here because: {status.alert.problem})</span>}
        </div>
      )}
      {settings.alerts && <AllowAlerts />}
      <dl class="pacing-stats">
        <div class="stat">
          <dt>Threshold</dt>
          <dd class="stat-value" data-testid="pacing-threshold">
            {loaded && status ? `${status.bounds.threshold} bpm` : '…'}
          </dd>
          <dd class="muted small">{status ? basisText(status.zones.basis, status.zones.medication) : ''}</dd>
        </div>
        <div class="stat">
          <dt>Above threshold today</dt>
          <dd class="stat-value" data-testid="pacing-above">
            {status?.load ? formatDuration(status.load.aboveThresholdMs) : '…'}
          </dd>
        </div>
      </dl>
      <Budget status={status} />
      {status?.learnedReady && settings.threshold === null && settings.zoneMethod === 'resting-plus' && (
        <p class="small" data-testid="learned-offer">
          You have worn the armband long enough for zones learned from your own days.{' '}
          <a href="/settings#pacing-settings-title">See the proposal and why</a>
        </p>
      )}
      {status && status.log.length > 0 && <AlertLogList entries={status.log} />}
      <p class="small">
        <a href="/settings#pacing-settings-title">Change threshold, alerts and daily limit</a>
      </p>
    </section>
  );
}

function ZoneNow({ status, live }: { status: PacingStatus | null; live: boolean }) {
  if (!status?.zone || !live) {
    return (
      <p class="zone-now zone-none" data-testid="pacing-zone">
        <span class="zone-name">No current reading</span>
        <span class="muted small">Zones show while the armband streams.</span>
      </p>
    );
  }
  return (
    <p class={`zone-now zone-${status.zone}`} data-testid="pacing-zone">
      <span class="zone-dot" aria-hidden="true" />
      <span class="zone-name">{ZONE_NAMES[status.zone]}</span>
      <span class="muted small">{zoneRange(status.zone, status.bounds)}</span>
    </p>
  );
}

function Budget({ status }: { status: PacingStatus | null }) {
  const load = status?.load;
  if (!load) return <p class="muted">Reading today's heart rate…</p>;
  const used = Math.round(load.points);
  const share = load.limit > 0 ? Math.min(1, load.points / load.limit) : 1;
  const over = load.over > 0;
  return (
    <div class={`budget${over ? ' is-over' : ''}`} data-testid="pacing-budget">
      <p class="budget-text">
        <strong>
          {used} of {load.limit} pace points
        </strong>
      </p>
      <div class="budget-bar" aria-hidden="true">
        <div class="budget-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
      <p class="budget-left">{over ? `${Math.round(load.over)} over today's limit` : `${Math.round(load.remaining)} left today`}</p>
      <p class="muted small">A minute of activity costs 1 point, a minute above the threshold 3, rest nothing.</p>
    </div>
  );
}

/** How the threshold in force was worked out, in one line. */
function basisText(basis: ThresholdBasis, medication: boolean): string {
  const lowered = medication ? ', lowered for a heart-rate-lowering medication' : '';
  switch (basis.method) {
    case 'manual':
      return 'Set by hand';
    case 'resting-plus':
      return `Resting ${basis.restingHr} + ${basis.margin}: ${RESTING_SOURCE[basis.restingSource]}${lowered}`;
    case 'percent-of-max':
      return basis.raisedTo !== null
        ? `55 % of your age-predicted maximum is at or below your rest zone, so it is kept at ${basis.raisedTo}`
        : `${Math.round(basis.percent * 100)} % of ${basis.maxHr.toFixed(1)}, the predicted maximum at age ${basis.age}${lowered}`;
    case 'learned':
      return `Learned from ${basis.days} days of wear (${basis.from} to ${basis.to})`;
  }
}

/** Why alerts are not going out right now, when that is so; a sentence after the phase. */
function quietText(status: PacingStatus | null, quiet: QuietHours | null): string {
  if (!status) return '';
  if (status.suppressed === 'no-contact') return ' Alerts paused: the armband reports no skin contact.';
  if (status.suppressed === 'implausible') {
    return ` Alerts paused: the reading is outside ${PLAUSIBLE_BPM.min}–${PLAUSIBLE_BPM.max} bpm, so not a heart rate.`;
  }
  if (status.quietNow && quiet) return ` Quiet hours until ${quiet.end}: alerts wait and are listed below.`;
  return '';
}

/** The words for the detector's phase: they change only when the phase does, so aria-live is not noisy. */
function phaseText(status: PacingStatus | null, live: boolean, alerts: boolean, dwellSeconds: number): string {
  const off = alerts ? '' : ' Alerts are off.';
  if (!status || !live) return `Alerts start when the armband streams.${off}`;
  switch (status.phase) {
    case 'calm':
      return `Below your threshold.${off}`;
    case 'rising':
      return `Above your threshold: ${alerts ? 'an alert follows' : 'this counts as an episode'} if it stays there for ${dwellSeconds} s.`;
    case 'alerted':
      return `Above your threshold${status.alert ? ` since ${clock(status.alert.episodeStart)}` : ''}: time to rest.${off}`;
    case 'recovering':
      return 'Coming down. The episode ends once your heart rate stays lower for a few seconds.';
  }
}

function zoneRange(zone: Zone, { restBelow, threshold }: ZoneBounds): string {
  if (zone === 'rest') return `below ${restBelow} bpm`;
  if (zone === 'activity') return `${restBelow}–${threshold - 1} bpm`;
  return `${threshold} bpm and above`;
}

function clock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "45 s", "12 min", "1 h 5 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
