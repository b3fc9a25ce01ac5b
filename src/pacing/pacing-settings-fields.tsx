import type { ComponentChildren } from 'preact';
import { PACING_LIMITS, type PacingSettings, type SettingsFieldError } from '../shared/pacing/settings';

export interface NumberFieldProps {
  id: string;
  label: string;
  field: keyof PacingSettings;
  /** The hint under the field; by default the range from PACING_LIMITS. */
  hint?: string;
  value: string;
  onInput: (value: string) => void;
  error: SettingsFieldError | undefined;
}

/** A whole-number input with its range as a hint, replaced by the error when there is one. */
export function NumberField(props: NumberFieldProps) {
  const limits = props.field in PACING_LIMITS ? PACING_LIMITS[props.field as keyof typeof PACING_LIMITS] : null;
  const hint = props.hint ?? (limits ? `${limits.min}–${limits.max} ${limits.unit}` : '');
  const hintId = `${props.id}-hint`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={hintId}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
      <p id={hintId} class={props.error ? 'pacing-hint error small' : 'pacing-hint muted small'}>
        {props.error ? props.error.message : hint}
      </p>
    </div>
  );
}

/** One radio choice, label and input together (a big target, read as one by screen readers). */
export function Choice({
  name,
  checked,
  onChange,
  children,
}: {
  name: string;
  checked: boolean;
  onChange: () => void;
  children: ComponentChildren;
}) {
  return (
    <label class="choice">
      <input type="radio" class="pacing-check" name={name} checked={checked} onChange={onChange} />
      {children}
    </label>
  );
}

/**
 * A setting that is either automatic or set by hand: two radio choices, and the number field
 * only while "by hand" is chosen.
 */
export function AutoOrByHand(props: {
  legend: string;
  name: string;
  auto: boolean;
  onChoose: (auto: boolean) => void;
  autoLabel: ComponentChildren;
  byHandLabel: string;
  field: NumberFieldProps;
}) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <Choice name={props.name} checked={props.auto} onChange={() => props.onChoose(true)}>
        {props.autoLabel}
      </Choice>
      <Choice name={props.name} checked={!props.auto} onChange={() => props.onChoose(false)}>
        <span>{props.byHandLabel}</span>
      </Choice>
      {!props.auto && <NumberField {...props.field} />}
    </fieldset>
  );
}

/** A checkbox with its label around it (a big target). */
export function CheckField(props: {
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  describedBy?: string;
  children: ComponentChildren;
}) {
  return (
    <label class="choice">
      <input
        type="checkbox"
        class="pacing-check"
        name={props.name}
        checked={props.checked}
        aria-describedby={props.describedBy}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <span>{props.children}</span>
    </label>
  );
}

/** A local time of day, `HH:MM`. */
export function TimeField(props: { id: string; label: string; value: string; invalid: boolean; onInput: (value: string) => void }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="time"
        value={props.value}
        aria-invalid={props.invalid ? 'true' : undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}
