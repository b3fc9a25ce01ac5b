import { useState } from 'preact/hooks';
import { type CheckIn, EXERTION_SCALES, NOTE_MAX_LENGTH, type Rating } from '../shared/checkin';
import { ratingOf, type SymptomList, symptomsToAsk, withRating } from '../shared/symptoms';
import { RatingGroup } from './rating-group';
import { SleepDuration } from './sleep-duration';

/** What the save button last did, for the live status line. */
export type SaveStatus = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: number } | { kind: 'error'; message: string };

/** The check-in questions for one date and period; the screen owns the draft and saving. */
export function CheckInForm({
  draft,
  list,
  dirty,
  status,
  onChange,
  onSave,
}: {
  draft: CheckIn;
  /** The symptoms to ask (src/shared/symptoms.ts). */
  list: SymptomList;
  dirty: boolean;
  status: SaveStatus;
  onChange: (next: CheckIn) => void;
  onSave: () => void;
}) {
  const set = (patch: Partial<CheckIn>) => onChange({ ...draft, ...patch });
  const [sleepProblem, setSleepProblem] = useState<string | null>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    // The typed sleep duration is not a number yet: its field says why; nothing is saved half-read.
    if (sleepProblem) return document.getElementById('sleep-hours')?.focus();
    onSave();
  };
  const morning = draft.period === 'morning';
  return (
    <form class="checkin-form" onSubmit={submit} aria-label={`${draft.period === 'morning' ? 'Morning' : 'Evening'} check-in`}>
      {morning && (
        <SleepDuration minutes={draft.sleepMinutes} onChange={(sleepMinutes) => set({ sleepMinutes })} onProblem={setSleepProblem} />
      )}
      {symptomsToAsk(list, draft).map((symptom) => (
        <RatingGroup
          key={symptom.id}
          item={symptom}
          value={ratingOf(draft, symptom.id)}
          note={list.tracked.includes(symptom.id) ? undefined : '— no longer tracked, kept here'}
          onChange={(value: Rating | null) => onChange(withRating(draft, symptom.id, value))}
        />
      ))}
      {!morning && (
        <fieldset class="exertion-group">
          <legend class="rating-label">How much did today take out of you?</legend>
          {EXERTION_SCALES.map((scale) => (
            <RatingGroup
              key={scale.key}
              item={{ ...scale, id: scale.key }}
              value={draft[scale.key]}
              onChange={(value: Rating | null) => set({ [scale.key]: value })}
            />
          ))}
        </fieldset>
      )}
      <label class="crash-toggle">
        <input type="checkbox" checked={draft.crash} onChange={(event) => set({ crash: event.currentTarget.checked })} />
        <span>
          <strong>I'm in a crash</strong>
          <span class="muted small"> (post-exertional malaise: much worse after doing too much)</span>
        </span>
      </label>
      <label class="crash-toggle">
        <input type="checkbox" checked={draft.unwell} onChange={(event) => set({ unwell: event.currentTarget.checked })} />
        <span>
          <strong>I have an infection or feel unwell</strong>
          <span class="muted small"> (a cold, a fever: something other than a crash)</span>
        </span>
      </label>
      {(list.trackPeriod || draft.periodDay) && (
        <label class="crash-toggle">
          <input type="checkbox" checked={draft.periodDay} onChange={(event) => set({ periodDay: event.currentTarget.checked })} />
          <span>
            <strong>Period day</strong>
          </span>
        </label>
      )}
      <div class="note-field">
        <label for="checkin-note">Note (optional)</label>
        <textarea
          id="checkin-note"
          rows={3}
          maxLength={NOTE_MAX_LENGTH}
          aria-describedby="checkin-note-count"
          value={draft.note}
          onInput={(event) => set({ note: event.currentTarget.value })}
        />
        <span id="checkin-note-count" class="muted small">
          {draft.note.length} of {NOTE_MAX_LENGTH} characters
        </span>
      </div>
      <div class="checkin-actions">
        <button type="submit" class="button primary big-button" disabled={status.kind === 'saving'}>
          {draft.savedAt ? 'Save changes' : 'Save check-in'}
        </button>
        <p role="status" class={status.kind === 'error' ? 'error' : 'muted'} data-testid="checkin-status">
          {describeStatus(status, dirty)}
        </p>
      </div>
    </form>
  );
}

function describeStatus(status: SaveStatus, dirty: boolean): string {
  if (status.kind === 'saving') return 'Saving…';
  if (status.kind === 'error') return status.message;
  if (dirty) return 'Not saved yet.';
  if (status.kind === 'saved') {
    const time = new Date(status.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    return `Saved on this device at ${time}. It syncs to your other devices when online.`;
  }
  return '';
}
