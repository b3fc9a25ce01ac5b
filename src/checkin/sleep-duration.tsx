import { useEffect, useState } from 'preact/hooks';
import { sleepFromInput } from '../shared/checkin';

const hoursText = (minutes: number | null) => (minutes === null ? '' : String(Math.floor(minutes / 60)));
const minutesText = (minutes: number | null) => (minutes === null ? '' : String(minutes % 60));

/**
 * Last night's sleep as hours and minutes. The text is kept as typed; the check-in gets the
 * minutes only once both fields read (src/shared/checkin.ts sleepFromInput), and the owner hears
 * of a problem so it can refuse to save.
 */
export function SleepDuration({
  minutes,
  onChange,
  onProblem,
}: {
  minutes: number | null;
  onChange: (minutes: number | null) => void;
  onProblem: (problem: string | null) => void;
}) {
  const [hours, setHours] = useState(hoursText(minutes));
  const [mins, setMins] = useState(minutesText(minutes));
  const [problem, setProblem] = useState<string | null>(null);
  // A stored or synced value replaces the text, unless it is what the text already says.
  useEffect(() => {
    const typed = sleepFromInput(hours, mins);
    if (!typed.ok || typed.value !== minutes) {
      setHours(hoursText(minutes));
      setMins(minutesText(minutes));
      setProblem(null);
      onProblem(null);
    }
  }, [minutes]);
  const update = (h: string, m: string) => {
    setHours(h);
    setMins(m);
    const parsed = sleepFromInput(h, m);
    const next = parsed.ok ? null : parsed.reason;
    setProblem(next);
    onProblem(next);
    if (parsed.ok && parsed.value !== minutes) onChange(parsed.value);
  };
  return (
    <fieldset class="sleep-duration" aria-describedby="sleep-hint">
      <legend class="rating-label">Sleep last night</legend>
      <div class="sleep-fields">
        <label>
          <input
            id="sleep-hours"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            size={3}
            value={hours}
            aria-invalid={problem ? 'true' : undefined}
            onInput={(event) => update(event.currentTarget.value, mins)}
          />{' '}
          hours
        </label>
        <label>
          <input
            id="sleep-minutes"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            size={3}
            value={mins}
            aria-invalid={problem ? 'true' : undefined}
            onInput={(event) => update(hours, event.currentTarget.value)}
          />{' '}
          minutes
        </label>
      </div>
      <p id="sleep-hint" class={problem ? 'error small' : 'muted small'} role={problem ? 'alert' : undefined}>
        {problem ?? 'Roughly how long you slept. Leave empty if you would rather not say.'}
      </p>
    </fieldset>
  );
}
