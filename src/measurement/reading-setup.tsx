import { armbandState } from '../armband/live-state';
import { settleFor } from './capture';
import { CAPTURE_CHOICES_S, type ReadingSettings, SETTLE_CHOICES_S } from './reading-settings';

/** Before a reading: what to do, how long it takes, the armband it needs, and Start. */
export function ReadingSetup({
  settings,
  onSettings,
  onStart,
}: {
  settings: ReadingSettings;
  onSettings: (next: ReadingSettings) => void;
  onStart: () => void;
}) {
  const state = armbandState.value;
  const streaming = state.kind === 'streaming';
  const ppi = streaming && state.intervals === 'ppi';
  const settleS = settleFor(settings.settleS, ppi ? 'ppi' : 'rr');
  const totalS = settleS + settings.captureS;
  return (
    <section class="card" aria-labelledby="setup-title">
      <h2 id="setup-title" class="card-title">
        Before you start
      </h2>
      <ol class="reading-steps">
        <li>Do this soon after waking, before coffee or getting up, in the same position each morning.</li>
        <li>Lie down or sit, and keep still. Breathe normally.</li>
        <li>
          Steady waits {settleS} s for your heart rate to settle{ppi ? ' (including about 25 s while the optical sensor warms up)' : ''},
          then measures for {settings.captureS / 60} {settings.captureS === 60 ? 'minute' : 'minutes'}: about {Math.ceil(totalS / 60)}{' '}
          minutes in all.
        </li>
      </ol>
      <div class="reading-settings">
        <label>
          <span>Measure for</span>
          <select
            value={settings.captureS}
            onChange={(event) => onSettings({ ...settings, captureS: Number(event.currentTarget.value) })}
            data-testid="capture-length"
          >
            {CAPTURE_CHOICES_S.map((s) => (
              <option key={s} value={s}>
                {s / 60} {s === 60 ? 'minute' : 'minutes'}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Settle first for</span>
          <select
            value={settings.settleS}
            onChange={(event) => onSettings({ ...settings, settleS: Number(event.currentTarget.value) })}
            data-testid="settle-length"
          >
            {SETTLE_CHOICES_S.map((s) => (
              <option key={s} value={s}>
                {s} seconds
              </option>
            ))}
          </select>
        </label>
      </div>
      {streaming ? (
        <p class="muted" data-testid="reading-armband">
          Using {state.armband.name}
          {ppi ? ' (optical beat intervals)' : ''}.{state.armband.demo ? ' Demo data: this reading will not be saved.' : ''}
        </p>
      ) : (
        <p class="warn-text" role="status" data-testid="reading-armband">
          {state.kind === 'connecting' || state.kind === 'reconnecting'
            ? `Waiting for ${state.armband.name} to connect…`
            : 'A morning reading needs your armband connected and recording.'}{' '}
          <a href="/">Connect it on Today</a>.
        </p>
      )}
      <button type="button" class="button primary big-button" disabled={!streaming} onClick={onStart}>
        Start reading
      </button>
    </section>
  );
}
