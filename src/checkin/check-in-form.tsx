import { type CheckIn, NOTE_MAX_LENGTH, type Rating, SCALES } from '../shared/checkin';
import { RatingGroup } from './rating-group';

/** What the save button last did, for the live status line. */
export type SaveStatus = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: number } | { kind: 'error'; message: string };

/** The check-in questions for one date and period; the screen owns the draft and saving. */
export function CheckInForm({
  draft,
  dirty,
  status,
  onChange,
  onSave,
}: {
  draft: CheckIn;
  dirty: boolean;
  status: SaveStatus;
  onChange: (next: CheckIn) => void;
  onSave: () => void;
}) {
  const set = (patch: Partial<CheckIn>) => onChange({ ...draft, ...patch });
  const submit = (event: Event) => {
    event.preventDefault();
    onSave();
  };
  return (
    <form class="checkin-form" onSubmit={submit} aria-label={`${draft.period === 'morning' ? 'Morning' : 'Evening'} check-in`}>
      {SCALES.map((scale) => (
        <RatingGroup
          key={scale.key}
          scale={scale}
          value={draft[scale.key]}
          onChange={(value: Rating | null) => set({ [scale.key]: value })}
        />
      ))}
      <label class="crash-toggle">
        <input type="checkbox" checked={draft.crash} onChange={(event) => set({ crash: event.currentTarget.checked })} />
        <span>
          <strong>I'm in a crash</strong>
          <span class="muted small"> (post-exertional malaise: much worse after doing too much)</span>
        </span>
      </label>
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
