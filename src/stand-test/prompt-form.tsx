import { useState } from 'preact/hooks';
import { parseBpReading } from '../shared/stand-test/document';
import { type BpReading, SYMPTOM_LABELS, SYMPTOMS, type Symptom } from '../shared/stand-test/protocol';

interface Props {
  minute: number;
  /** Lying down (minute 0) asks for blood pressure only. */
  bpOnly?: boolean;
  onAnswer: (bp: Omit<BpReading, 'minute'> | null, symptoms: Symptom[]) => void;
  onSkip: () => void;
  saveLabel: string;
}

/** Optional blood pressure from a cuff (typed) and symptoms, for one prompt minute. */
export function PromptForm({ minute, bpOnly = false, onAnswer, onSkip, saveLabel }: Props) {
  const [systolic, setSystolic] = useState('');
  const [diastolic, setDiastolic] = useState('');
  const [symptoms, setSymptoms] = useState<Symptom[]>([]);
  const [error, setError] = useState<string | null>(null);
  const id = `prompt-${minute}`;

  const submit = (event: Event) => {
    event.preventDefault();
    let bp: Omit<BpReading, 'minute'> | null = null;
    if (systolic.trim() !== '' || diastolic.trim() !== '') {
      const reading = { minute, systolic: Number(systolic), diastolic: Number(diastolic) };
      const problem = parseBpReading(reading);
      if (problem) {
        setError(`Blood pressure: ${problem}. Leave both empty to skip it.`);
        return;
      }
      bp = { systolic: reading.systolic, diastolic: reading.diastolic };
    }
    setError(null);
    onAnswer(bp, symptoms);
  };
  const toggle = (symptom: Symptom, on: boolean) => setSymptoms((list) => (on ? [...list, symptom] : list.filter((s) => s !== symptom)));

  return (
    <form class="stand-prompt" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid={`stand-prompt-${minute}`}>
      <h3 id={`${id}-title`} class="card-title">
        {minute === 0 ? 'Blood pressure lying down' : `Minute ${minute}`} <span class="muted small">(optional)</span>
      </h3>
      <fieldset class="bp-fields">
        <legend>Blood pressure from a cuff, mmHg</legend>
        <label class="bp-field">
          Systolic
          <input
            type="number"
            inputMode="numeric"
            min={50}
            max={260}
            value={systolic}
            onInput={(e) => setSystolic(e.currentTarget.value)}
          />
        </label>
        <label class="bp-field">
          Diastolic
          <input
            type="number"
            inputMode="numeric"
            min={20}
            max={160}
            value={diastolic}
            onInput={(e) => setDiastolic(e.currentTarget.value)}
          />
        </label>
      </fieldset>
      {!bpOnly && (
        <fieldset class="symptom-fields">
          <legend>How do you feel?</legend>
          {SYMPTOMS.map((symptom) => (
            <label key={symptom} class="check">
              <input type="checkbox" checked={symptoms.includes(symptom)} onChange={(e) => toggle(symptom, e.currentTarget.checked)} />
              {SYMPTOM_LABELS[symptom]}
            </label>
          ))}
        </fieldset>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="button-row">
        <button type="submit" class="button primary">
          {saveLabel}
        </button>
        <button type="button" class="button" onClick={onSkip}>
          Skip
        </button>
      </p>
    </form>
  );
}
