import { useState } from 'preact/hooks';
import { armbandState } from '../armband/live-state';
import { AGE_BAND_LABELS, type AgeBand, LYING_MINUTES_CHOICES, POSITION_LABELS, type StandPosition } from '../shared/stand-test/protocol';
import type { StandTestSettings } from './stand-test-store';

interface Props {
  settings: StandTestSettings;
  onStart: (settings: StandTestSettings & { ageBand: AgeBand }) => void;
}

/** Who should not do the test alone, what to keep steady, the choices, and the confirmation. */
export function BeforeCard({ settings, onStart }: Props) {
  const [choice, setChoice] = useState(settings);
  const [changingAge, setChangingAge] = useState(settings.ageBand === null);
  const [confirmed, setConfirmed] = useState(false);
  const state = armbandState.value;
  const streaming = state.kind === 'streaming';
  const ageBand = choice.ageBand;
  const ready = streaming && confirmed && ageBand !== null;

  return (
    <section class="card stand-before" aria-labelledby="stand-before-title" data-testid="stand-before">
      <h2 id="stand-before-title" class="card-title">
        Before you start
      </h2>
      <ul class="stand-advice">
        <li>
          <strong>Do not do it alone</strong> if you have fainted before or often feel faint standing: have someone with you who can help
          you sit or lie down. It is not for children under 12.
        </li>
        <li>
          <strong>Not during a crash</strong> or flare, or while unwell: pick a stable day, and a similar time of day each time.
        </li>
        <li>
          <strong>Keep things steady</strong> and as on a usual day: fluids, salt, compression garments and medication. Note anything you
          changed.
        </li>
        <li>
          It takes {choice.lyingMinutes} minutes lying still, then 10 standing. <strong>I need to sit down</strong> stops it at any time and
          keeps what was recorded.
        </li>
      </ul>
      <fieldset class="stand-choice">
        <legend>Age (for the heart-rate threshold)</legend>
        {changingAge ? (
          (['adult', 'teen'] as const).map((band) => (
            <label key={band} class="check">
              <input type="radio" name="age-band" checked={ageBand === band} onChange={() => setChoice({ ...choice, ageBand: band })} />
              {AGE_BAND_LABELS[band]}
            </label>
          ))
        ) : (
          <p>
            {ageBand && AGE_BAND_LABELS[ageBand]}{' '}
            <button type="button" class="button small-button" onClick={() => setChangingAge(true)}>
              Change
            </button>
          </p>
        )}
      </fieldset>
      <fieldset class="stand-choice">
        <legend>Standing</legend>
        {(['lean', 'free'] as StandPosition[]).map((position) => (
          <label key={position} class="check">
            <input
              type="radio"
              name="position"
              checked={choice.position === position}
              onChange={() => setChoice({ ...choice, position })}
            />
            {POSITION_LABELS[position]}
          </label>
        ))}
      </fieldset>
      <label class="stand-choice">
        Lie still first for{' '}
        <select value={choice.lyingMinutes} onChange={(e) => setChoice({ ...choice, lyingMinutes: Number(e.currentTarget.value) })}>
          {LYING_MINUTES_CHOICES.map((m) => (
            <option key={m} value={m}>
              {m} minutes
            </option>
          ))}
        </select>
      </label>
      <label class="check stand-confirm">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} />I have read this, I am not in a
        crash, and it is safe for me to do now
      </label>
      <p class="muted" data-testid="stand-armband">
        {streaming ? (
          `Using ${state.armband.name}${state.armband.demo ? ' (demo data: the result is shown, never saved)' : ''}. Heart rate alone is enough; beat intervals add HRV to the baseline.`
        ) : (
          <>
            The stand test needs your armband connected. <a href="/">Connect it on Today</a>.
          </>
        )}
      </p>
      <button type="button" class="button primary big-button" disabled={!ready} onClick={() => ageBand && onStart({ ...choice, ageBand })}>
        Lie down and start
      </button>
    </section>
  );
}
