import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_RESTING_HR, type LearnedZones, type PacingSettings, type SettingsFieldError } from '../shared/pacing/settings';
import { AllowAlerts } from './allow-alerts';
import { askNotificationPermission } from './pacing-alert';
import { startPacing } from './pacing-control';
import { AutoOrByHand, CheckField, NumberField } from './pacing-settings-fields';
import { type Form, formOf, settingsOf } from './pacing-settings-form';
import { notificationPermission, pacingInputs } from './pacing-state';
import { QuietAlertFields } from './quiet-alert-fields';
import { savePacingSettings } from './settings';
import { ThresholdFields } from './zone-method-fields';

type Status =
  | { kind: 'idle' | 'saving' | 'saved' }
  | { kind: 'invalid'; errors: SettingsFieldError[] }
  | { kind: 'failed'; message: string };

/**
 * Settings: resting HR, how the threshold is worked out, dwell, daily pace points, alerts,
 * vibration, quiet hours and the gentle repeat; synced to every device.
 */
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

  const saveForm = async (toSave: Form) => {
    setStatus({ kind: 'saving' });
    try {
      const result = await savePacingSettings(settingsOf(toSave, inputs.settings.zoneMethod));
      setStatus(result.ok ? { kind: 'saved' } : { kind: 'invalid', errors: result.errors });
    } catch (error) {
      setStatus({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
  const save = (event: Event) => {
    event.preventDefault();
    if (form) void saveForm(form);
  };
  // "Use these zones" is the person's OK: the proposal is applied and saved in the same tap.
  const useLearned = (learned: LearnedZones) => {
    if (!form) return;
    const next: Form = { ...form, learned, threshold: 'learned' };
    setForm(next);
    void saveForm(next);
  };

  const measured = inputs.measured;

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

          <ThresholdFields
            form={form}
            update={update}
            errorFor={errorFor}
            measured={measured?.bpm ?? null}
            onUseLearned={useLearned}
            busy={status.kind === 'saving'}
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
            <CheckField
              name="alerts"
              checked={form.alerts}
              onChange={(alerts) => {
                update({ alerts });
                // Turning alerts on is when asking for notifications makes sense (and this is a tap).
                if (alerts && notificationPermission.value === 'default') void askNotificationPermission();
              }}
            >
              Alert me when my heart rate stays above the threshold
            </CheckField>
            {form.alerts && <AllowAlerts />}
            <CheckField name="vibrate" checked={form.vibrate} onChange={(vibrate) => update({ vibrate })}>
              Vibrate with the alert
            </CheckField>
          </fieldset>

          <QuietAlertFields form={form} update={update} errorFor={errorFor} />

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
            {status.kind === 'invalid' && `Not saved: please correct the fields marked above.${unmarked(status.errors)}`}
            {status.kind === 'failed' && `Not saved: ${status.message}`}
          </p>
        </form>
      )}
    </section>
  );
}

/** Fields whose errors show next to their own input (or panel); any other error is spelled out in the status line. */
const MARKED_FIELDS: ReadonlySet<keyof PacingSettings> = new Set([
  'restingHr',
  'threshold',
  'dwellSeconds',
  'dailyPoints',
  'birthYear',
  'learned',
  'quietHours',
  'repeatMinutes',
]);

function unmarked(errors: readonly SettingsFieldError[]): string {
  return errors
    .filter((error) => !MARKED_FIELDS.has(error.field))
    .map((error) => ` ${error.message}`)
    .join('');
}
