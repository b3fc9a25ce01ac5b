import { useEffect, useState } from 'preact/hooks';
import { dayKeyOf } from '../shared/days';
import { activeZones } from '../shared/pacing/active-zones';
import {
  LEARN_MIN_DAYS,
  LEARN_MIN_WEAR_MS,
  LEARN_WINDOW_DAYS,
  type LearnedZonesAnswer,
  learnedZonesOf,
  proposeLearnedZones,
  type WearDay,
} from '../shared/pacing/learned-zones';
import {
  birthYearLimits,
  DEFAULT_PACING_SETTINGS,
  type LearnedZones,
  numberFromInput,
  type PacingSettings,
  type SettingsFieldError,
} from '../shared/pacing/settings';
import { scaledMargin, type ZoneMethod } from '../shared/pacing/zone-methods';
import { DEFAULT_THRESHOLD_MARGIN_BPM } from '../shared/pacing/zones';
import { requestWearDays } from '../trends/trends-client';
import { CheckField, Choice, NumberField } from './pacing-settings-fields';
import type { Form } from './pacing-settings-form';

interface Props {
  form: Form;
  update: (change: Partial<Form>) => void;
  errorFor: (field: keyof PacingSettings) => SettingsFieldError | undefined;
  measured: number | null;
  /** Applies and saves learned zones (the person's OK). */
  onUseLearned: (learned: LearnedZones) => void;
  busy: boolean;
}

/** What one automatic method gives with the form as it stands, for "(77 bpm now)"; null when it cannot say yet. */
function thresholdBy(method: ZoneMethod, form: Form, measured: number | null): number | null {
  const birthYear = numberFromInput(form.birthYearText);
  const resting = form.restingMode === 'typed' ? numberFromInput(form.restingText) : null;
  if (method === 'percent-of-max' && (birthYear === null || !Number.isInteger(birthYear))) return null;
  if (method === 'learned' && !form.learned) return null;
  const settings: PacingSettings = {
    ...DEFAULT_PACING_SETTINGS,
    restingHr: resting !== null && Number.isInteger(resting) ? resting : null,
    zoneMethod: method,
    birthYear,
    rateLoweringMedication: form.medication,
    learned: form.learned,
  };
  return activeZones(settings, measured, Date.now()).bounds.threshold;
}

const now = (value: number | null) => (value === null ? '' : ` (${value} bpm now)`);

/** The threshold methods, each in one sentence, with what each needs, and the medication option. */
export function ThresholdFields({ form, update, errorFor, measured, onUseLearned, busy }: Props) {
  const margin = scaledMargin(DEFAULT_THRESHOLD_MARGIN_BPM, form.medication);
  const years = birthYearLimits(Date.now());
  const choose = (threshold: Form['threshold']) => update({ threshold });
  return (
    <fieldset data-testid="zone-method">
      <legend>Threshold</legend>
      <Choice name="threshold-method" checked={form.threshold === 'resting-plus'} onChange={() => choose('resting-plus')}>
        <span>
          Resting + {margin} bpm{now(thresholdBy('resting-plus', form, measured))}{' '}
          <span class="muted small block">
            Your resting heart rate plus {margin} bpm: the Workwell Foundation's cautious estimate of where exertion begins in ME/CFS.
          </span>
        </span>
      </Choice>
      <Choice name="threshold-method" checked={form.threshold === 'percent-of-max'} onChange={() => choose('percent-of-max')}>
        <span>
          55 % of your age-predicted maximum{now(thresholdBy('percent-of-max', form, measured))}{' '}
          <span class="muted small block">
            55 % of {form.medication ? '164' : '208'} − 0.7 × age (
            {form.medication ? 'Brawner 2004, for people on beta-blockers' : 'Tanaka 2001'}
            ), the cautious end of common pacing advice.
          </span>
        </span>
      </Choice>
      {form.threshold === 'percent-of-max' && (
        <NumberField
          id="pacing-birth-year"
          label="Year of birth"
          field="birthYear"
          hint={`${years.min}–${years.max}`}
          value={form.birthYearText}
          onInput={(birthYearText) => update({ birthYearText })}
          error={errorFor('birthYear')}
        />
      )}
      <Choice name="threshold-method" checked={form.threshold === 'learned'} onChange={() => choose('learned')}>
        <span>
          Learned from your own days of wear{now(thresholdBy('learned', form, measured))}{' '}
          <span class="muted small block">
            After {LEARN_MIN_DAYS} days of wear Steady proposes zones from your resting heart rate and daily range, shows how, and asks
            before using them.
          </span>
        </span>
      </Choice>
      {form.threshold === 'learned' && <LearnedZonesPanel form={form} onUse={onUseLearned} busy={busy} error={errorFor('learned')} />}
      <Choice name="threshold-method" checked={form.threshold === 'manual'} onChange={() => choose('manual')}>
        <span>
          Set by hand <span class="muted small block">A number from a heart-rate exercise test (CPET) or your own experience.</span>
        </span>
      </Choice>
      {form.threshold === 'manual' && (
        <NumberField
          id="pacing-threshold"
          label="Threshold (bpm)"
          field="threshold"
          value={form.thresholdText}
          onInput={(thresholdText) => update({ thresholdText })}
          error={errorFor('threshold')}
        />
      )}
      <CheckField
        name="medication"
        checked={form.medication}
        describedBy="pacing-medication-effect"
        onChange={(medication) => update({ medication })}
      >
        I take a heart-rate-lowering medication (e.g. a beta-blocker)
      </CheckField>
      <p id="pacing-medication-effect" class="muted small">
        These medicines blunt how far heart rate rises with effort, so the proposals are lower: resting + 10 instead of + 15, a maximum of
        164 − 0.7 × age instead of 208 − 0.7 × age (Brawner 2004), and a learned margin of 7–20 bpm instead of 10–30. A threshold set by
        hand is not changed.
      </p>
    </fieldset>
  );
}

type WearState = { kind: 'loading' } | { kind: 'ready'; days: WearDay[] } | { kind: 'failed'; message: string };

/** The learned proposal with every figure behind it, and the buttons that apply it or work it out again. */
function LearnedZonesPanel({
  form,
  onUse,
  busy,
  error,
}: {
  form: Form;
  onUse: (learned: LearnedZones) => void;
  busy: boolean;
  error: SettingsFieldError | undefined;
}) {
  const [wear, setWear] = useState<WearState>({ kind: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setWear({ kind: 'loading' });
    requestWearDays({ type: 'WEAR_DAYS', lastDay: dayKeyOf(Date.now()), days: LEARN_WINDOW_DAYS }, controller.signal).then(
      ({ days }) => setWear({ kind: 'ready', days }),
      (failure: unknown) => {
        if (!controller.signal.aborted) setWear({ kind: 'failed', message: failure instanceof Error ? failure.message : String(failure) });
      },
    );
    return () => controller.abort();
  }, [round]);

  const answer: LearnedZonesAnswer | null = wear.kind === 'ready' ? proposeLearnedZones(wear.days, form.medication) : null;
  const applied = form.learned;
  const inUse =
    applied !== null &&
    answer?.ready === true &&
    applied.threshold === answer.threshold &&
    applied.restingHr === answer.restingHr &&
    applied.to === answer.days[answer.days.length - 1]!.date &&
    applied.medication === answer.medication;
  return (
    <div class="learned-panel" data-testid="learned-zones">
      {applied && (
        <p class="small">
          <strong>In use:</strong> threshold {applied.threshold} bpm, resting {applied.restingHr} bpm, learned from {applied.days} days of
          wear ({applied.from} to {applied.to}).
        </p>
      )}
      <div aria-live="polite">
        {wear.kind === 'loading' && <p class="muted small">Reading your last {LEARN_WINDOW_DAYS} days of wear…</p>}
        {wear.kind === 'failed' && <p class="error small">Could not read your days of wear: {wear.message}</p>}
        {answer && !answer.ready && (
          <p class="small" data-testid="learned-not-ready">
            {answer.wornDays} of {answer.needed} days of wear so far (a day counts with {LEARN_MIN_WEAR_MS / 3_600_000} hours of readings).
            Steady proposes zones once there are {answer.needed}.
          </p>
        )}
        {answer?.ready && (
          <div data-testid="learned-proposal">
            <p class="small">
              <strong>Proposal</strong> from {answer.days.length} days of wear ({answer.days[0]!.date} to{' '}
              {answer.days[answer.days.length - 1]!.date}):
            </p>
            <ul class="learned-figures small">
              <li>Resting heart rate {answer.restingHr} bpm: the median of each day's lowest 5 %.</li>
              <li>Usual daily high {answer.dailyHigh} bpm: the median of each day's highest 5 %.</li>
              <li>
                Daily range {answer.range} bpm; half of it, {answer.halfRange} bpm, kept within {answer.marginBounds.min}–
                {answer.marginBounds.max} bpm{answer.medication ? ' (lowered for your medication)' : ''}: margin {answer.margin} bpm.
              </li>
              <li>
                <strong>
                  Threshold {answer.restingHr} + {answer.margin} = {answer.threshold} bpm
                </strong>
                ; rest below {answer.restBelow} bpm.
              </li>
            </ul>
            {inUse && <p class="small">These are the zones in use.</p>}
          </div>
        )}
      </div>
      {error && <p class="error small">{error.message}</p>}
      <div class="button-row">
        {answer?.ready && !inUse && (
          <button type="button" class="button primary" disabled={busy} onClick={() => onUse(learnedZonesOf(answer))}>
            Use these zones
          </button>
        )}
        <button type="button" class="button" disabled={wear.kind === 'loading'} onClick={() => setRound((n) => n + 1)}>
          Recalculate
        </button>
      </div>
    </div>
  );
}
