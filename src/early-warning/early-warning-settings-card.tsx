import { useState } from 'preact/hooks';
import { saveEarlyWarningEnabled, useEarlyWarningEnabled } from './early-warning-setting';

/** Settings: the early-warning switch, off by default, with what turning it on means. */
export function EarlyWarningSettingsCard() {
  const enabled = useEarlyWarningEnabled();
  const [failed, setFailed] = useState<string | null>(null);
  return (
    <section class="card" aria-labelledby="early-warning-settings-title" data-testid="early-warning-settings">
      <h2 id="early-warning-settings-title" class="card-title">
        Early warning
      </h2>
      <p class="muted small">
        Compares your last 3 days with your own 28-day baseline: morning HRV, resting heart rate and pace points. When they move the way
        they often do before a crash, a card on Today says which moved and by how much. It needs about two weeks of morning measurements
        first.
      </p>
      <label class="choice">
        <input
          type="checkbox"
          class="pacing-check"
          checked={enabled === true}
          disabled={enabled === null}
          onChange={(event) => {
            setFailed(null);
            void saveEarlyWarningEnabled(event.currentTarget.checked).catch((error: unknown) =>
              setFailed(error instanceof Error ? error.message : String(error)),
            );
          }}
        />
        <span>Show the early warning on Today</span>
      </label>
      {failed && (
        <p class="error" role="alert">
          Not saved: {failed}
        </p>
      )}
    </section>
  );
}
