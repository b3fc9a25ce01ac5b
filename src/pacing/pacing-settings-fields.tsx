import type { ComponentChildren } from 'preact';
import { PACING_LIMITS, type SettingsFieldError } from '../shared/pacing/settings';

export interface NumberFieldProps {
  id: string;
  label: string;
  field: keyof typeof PACING_LIMITS;
  value: string;
  onInput: (value: string) => void;
  error: SettingsFieldError | undefined;
}

/** A whole-number input with its range as a hint, replaced by the error when there is one. */
export function NumberField(props: NumberFieldProps) {
  const { min, max, unit } = PACING_LIMITS[props.field];
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
        {props.error ? props.error.message : `${min}–${max} ${unit}`}
      </p>
    </div>
  );
}

/** One radio choice, label and input together, label and input together (a big target, read as one by screen readers). */
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
