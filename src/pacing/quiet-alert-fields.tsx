import type { PacingSettings, SettingsFieldError } from '../shared/pacing/settings';
import { PLAUSIBLE_BPM } from '../shared/pacing/zones';
import { CheckField, NumberField, TimeField } from './pacing-settings-fields';
import type { Form } from './pacing-settings-form';

/** When alerts keep quiet: the fixed rules said plainly, quiet hours, and the gentle repeat. */
export function QuietAlertFields({
  form,
  update,
  errorFor,
}: {
  form: Form;
  update: (change: Partial<Form>) => void;
  errorFor: (field: keyof PacingSettings) => SettingsFieldError | undefined;
}) {
  const quietError = errorFor('quietHours');
  return (
    <fieldset data-testid="quiet-alerts">
      <legend>When alerts keep quiet</legend>
      <p class="muted small">
        Never while the armband reports no skin contact, nor for a reading outside {PLAUSIBLE_BPM.min}–{PLAUSIBLE_BPM.max} bpm (not a heart
        rate a body makes: the strap is slipping).
      </p>
      <CheckField name="quiet-hours" checked={form.quiet} describedBy="pacing-quiet-effect" onChange={(quiet) => update({ quiet })}>
        Quiet hours
      </CheckField>
      {form.quiet && (
        <div class="time-range">
          <TimeField
            id="pacing-quiet-start"
            label="From"
            value={form.quietStart}
            invalid={quietError !== undefined}
            onInput={(quietStart) => update({ quietStart })}
          />
          <TimeField
            id="pacing-quiet-end"
            label="Until"
            value={form.quietEnd}
            invalid={quietError !== undefined}
            onInput={(quietEnd) => update({ quietEnd })}
          />
        </div>
      )}
      <p id="pacing-quiet-effect" class={quietError ? 'error small' : 'muted small'}>
        {quietError
          ? quietError.message
          : "An alert in quiet hours waits: it is listed in today's alerts but not notified. If your heart rate is still above the threshold when quiet hours end, you are notified then."}
      </p>
      <CheckField name="repeat" checked={form.repeat} onChange={(repeat) => update({ repeat })}>
        Remind me gently (no vibration) while I stay above the threshold
      </CheckField>
      {form.repeat && (
        <NumberField
          id="pacing-repeat"
          label="Minutes between reminders"
          field="repeatMinutes"
          value={form.repeatText}
          onInput={(repeatText) => update({ repeatText })}
          error={errorFor('repeatMinutes')}
        />
      )}
    </fieldset>
  );
}
