import { useEffect, useState } from 'preact/hooks';
import {
  DEFAULT_RESTING_HR,
  effectiveRestingHr,
  numberFromInput,
  type PacingSettings,
  type SettingsFieldError,
} from '../shared/pacing/settings';
import { DEFAULT_THRESHOLD_MARGIN_BPM } from '../shared/pacing/zones';
import { AllowAlerts } from './allow-alerts';
import { askNotificationPermission } from './pacing-alert';
import { startPacing } from './pacing-control';
import { AutoOrByHand, NumberField } from './pacing-settings-fields';
import { type Form, formOf, settingsOf } from './pacing-settings-form';
import { notificationPermission, pacingInputs } from './pacing-state';
import { savePacingSettings } from './settings';

type Status =
  | { kind: 'idle' | 'saving' | 'saved' }
  | { kind: 'invalid'; errors: SettingsFieldError[] }
  | { kind: 'failed'; message: string };

/** Settings: resting HR, threshold, dwell, daily pace points, alerts and vibration; synced to every device. */
export function PacingSettingsCard() {
  const inputs = pacingInputs.value;
  const [form, setForm] = useState<Form | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  useEffect(() => {
    void startPacing().catch((error: unknown) => console.error('Steady: could not start the pacing monitor', error));
  }, []);
  // Fill the form once the stored settings are known; later syncs do not overwrite what is being typed.
  useEffect(() => {
    if (inputs.loaded && form === null) setForm(formOf(inputs.settings));
  }, [inputs.loaded, inputs.settings, form]);

  const update = (change: Partial<Form>) => {
    setForm((current) => (current ? { ...current, ...change } : current));
    if (status.kind === 'saved') setStatus({ kind: 'idle' });
  };
  const errorFor = (field: keyof PacingSettings) => (status.kind === 'invalid' ? status.errors.find((e) => e.field === field) : undefined);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!form) return;
    setStatus({ kind: 'saving' });
    try {
      const result = await savePacingSettings(settingsOf(form));
      setStatus(result.ok ? { kind: 'saved' } : { kind: 'invalid', errors: result.errors });
    } catch (error) {
      setStatus({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const measured = inputs.measured;
  const resting = effectiveRestingHr(
    { ...inputs.settings, restingHr: form?.restingMode === 'typed' ? (numberFromInput(form.restingText) ?? null) : null },
    measured?.bpm ?? null,
  );
  const autoThreshold = Number.isFinite(resting.bpm) ? resting.bpm + DEFAULT_THRESHOLD_MARGIN_BPM : null;

  return (
    <section class="card pacing-settings" aria-labelledby="pacing-settings-title" data-testid="pacing-settings">
      <h2 id="pacing-settings-title" class="card-title">
        Pacing
      </h2>
      <p class="muted small">Used for zones, alerts and the daily budget on all your devices.</p>
      {!form ? (
        <p class="muted">Loading…</p>
      ) : (
        <form class="pacing-form" onSubmit={save} noValidate>
          <AutoOrByHand
            legend="Resting heart rate"
            name="resting-mode"
            auto={form.restingMode === 'measured'}
            onChoose={(auto) => update({ restingMode: auto ? 'measured' : 'typed' })}
            autoLabel={
              <span>
                From my morning measurement{' '}
                <span class="muted small">
                  {measured
                    ? `(latest: ${measured.bpm} bpm on ${measured.date})`
                    : `(none yet: ${DEFAULT_RESTING_HR} bpm is used until a morning measurement exists)`}
                </span>
              </span>
            }
            byHandLabel="Typed by hand"
            field={{
              id: 'pacing-resting',
              label: 'Resting heart rate (bpm)',
              field: 'restingHr',
              value: form.restingText,
              onInput: (restingText) => update({ restingText }),
              error: errorFor('restingHr'),
            }}
          />

          <AutoOrByHand
            legend="Threshold"
            name="threshold-mode"
            auto={form.thresholdMode === 'auto'}
            onChoose={(auto) => update({ thresholdMode: auto ? 'auto' : 'manual' })}
            autoLabel={
              <span>
                Automatic: resting + {DEFAULT_THRESHOLD_MARGIN_BPM}{' '}
                <span class="muted small">{autoThreshold !== null ? `(${autoThreshold} bpm now)` : ''}</span>
              </span>
            }
            byHandLabel="Set by hand (from a heart-rate test or your own experience)"
            field={{
              id: 'pacing-threshold',
              label: 'Threshold (bpm)',
              field: 'threshold',
              value: form.thresholdText,
              onInput: (thresholdText) => update({ thresholdText }),
              error: errorFor('threshold'),
            }}
          />

          <fieldset>
            <legend>Alerts and budget</legend>
            <NumberField
              id="pacing-dwell"
              label="Seconds above the threshold before an alert"
              field="dwellSeconds"
              value={form.dwellText}
              onInput={(dwellText) => update({ dwellText })}
              error={errorFor('dwellSeconds')}
            />
            <NumberField
              id="pacing-points"
              label="Daily pace-point limit"
              field="dailyPoints"
              value={form.pointsText}
              onInput={(pointsText) => update({ pointsText })}
              error={errorFor('dailyPoints')}
            />
            <label class="choice">
              <input
                type="checkbox"
                class="pacing-check"
                name="alerts"
                checked={form.alerts}
                onChange={(event) => {
                  const alerts = event.currentTarget.checked;
                  update({ alerts });
                  // Turning alerts on is when asking for notifications makes sense (and this is a tap).
                  if (alerts && notificationPermission.value === 'default') void askNotificationPermission();
                }}
              />
              <span>Alert me when my heart rate stays above the threshold</span>
            </label>
            {form.alerts && <AllowAlerts />}
            <label class="choice">
              <input
                type="checkbox"
                class="pacing-check"
                name="vibrate"
                checked={form.vibrate}
                onChange={(event) => update({ vibrate: event.currentTarget.checked })}
              />
              <span>Vibrate with the alert</span>
            </label>
          </fieldset>

          <div class="button-row">
            <button type="submit" class="button primary" disabled={status.kind === 'saving'}>
              Save pacing settings
            </button>
          </div>
          <p
            role="status"
            class={status.kind === 'invalid' || status.kind === 'failed' ? 'error' : 'muted small'}
            data-testid="pacing-save-status"
          >
            {status.kind === 'saved' && 'Saved. Your other devices get these settings at their next sync.'}
            {status.kind === 'invalid' && 'Not saved: please correct the fields marked above.'}
            {status.kind === 'failed' && `Not saved: ${status.message}`}
          </p>
        </form>
      )}
    </section>
  );
}
