import { useEffect, useRef, useState } from 'preact/hooks';
import { useOnline } from '../ui/use-online';
import { type DeleteScope, type DeleteStep, deleteEverything } from './delete-everything';

/** What the person types to confirm: deliberate, and impossible to do by a stray tap. */
export const CONFIRM_WORD = 'DELETE';

const STEP_TEXT: Record<DeleteStep, string> = {
  server: 'Deleting your account and its data on the server…',
  recording: 'Stopping the armband…',
  push: 'Turning off notifications…',
  uploads: 'Stopping backups in progress…',
  caches: 'Clearing saved copies…',
  storage: 'Clearing preferences…',
  database: 'Deleting the data on this device…',
  blocked: 'Waiting: Steady is still open in another tab or window. Close it to finish.',
  done: 'Everything is deleted. Steady is starting afresh…',
};

/** How long "Everything is deleted" stays before the app restarts as on a first run. */
const DONE_PAUSE_MS = 1_500;

/** The confirmation for "Delete everything": what goes, from where, and a typed confirmation. */
export function DeleteDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [scope, setScope] = useState<DeleteScope>('device');
  const [typed, setTyped] = useState('');
  const [step, setStep] = useState<DeleteStep | null>(null);
  const [error, setError] = useState<string | null>(null);
  const online = useOnline();
  const busy = step !== null && error === null;

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  const blockedByOffline = scope === 'everywhere' && !online;
  const confirmed = typed.trim() === CONFIRM_WORD;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!confirmed || busy || blockedByOffline) return;
    setError(null);
    setStep('server');
    try {
      await deleteEverything(scope, setStep);
      setTimeout(() => location.replace('/'), DONE_PAUSE_MS);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <dialog
      ref={dialog}
      class="delete-dialog"
      aria-labelledby="delete-title"
      aria-describedby="delete-what"
      onCancel={(event) => {
        // Esc closes the dialog, except while deleting: stopping half-way is not an option.
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form method="dialog" onSubmit={submit}>
        <h2 id="delete-title" class="delete-title">
          Delete everything?
        </h2>
        <fieldset class="delete-scope" disabled={busy}>
          <legend>Delete from</legend>
          <label class="delete-choice">
            <input type="radio" name="scope" value="device" checked={scope === 'device'} onChange={() => setScope('device')} />
            <span>
              <strong>This device only</strong>
              <span class="muted small">Your account and its copy on the server stay, for your other devices.</span>
            </span>
          </label>
          <label class="delete-choice">
            <input type="radio" name="scope" value="everywhere" checked={scope === 'everywhere'} onChange={() => setScope('everywhere')} />
            <span>
              <strong>Everywhere</strong>
              <span class="muted small">This device and the server: your account is closed.</span>
            </span>
          </label>
        </fieldset>
        <div id="delete-what">
          <p>This deletes, and cannot be undone:</p>
          <ul class="delete-list">
            <li>every heart-rate recording and beat interval, and the gaps between them</li>
            <li>your check-ins, notes and morning measurements</li>
            <li>your messages, paired armbands and preferences</li>
            {scope === 'everywhere' ? (
              <li>
                <strong>on the server:</strong> your account, everything synced from all your devices, stored backups, messages and
                notification subscriptions. Your other devices stop syncing; what they hold stays on them until you delete it there.
              </li>
            ) : (
              <li>this device’s link to your account and its notifications. The server’s copy stays; your other devices keep syncing.</li>
            )}
          </ul>
          <p class="muted small">The app itself stays installed and works offline; it starts afresh, as on first use.</p>
        </div>
        {blockedByOffline && (
          <p class="delete-offline" role="alert">
            You are offline, so the server’s copy cannot be deleted now. Nothing will be deleted until you are online — or choose “This
            device only”.
          </p>
        )}
        <label for="delete-confirm" class="delete-confirm-label">
          Type <strong>{CONFIRM_WORD}</strong> to confirm
        </label>
        <input
          id="delete-confirm"
          name="confirm"
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          value={typed}
          disabled={busy}
          onInput={(event) => setTyped(event.currentTarget.value)}
        />
        <p class="delete-progress" role="status" aria-live="polite">
          {error === null && step !== null && STEP_TEXT[step]}
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="button-row delete-actions">
          <button type="button" class="button" disabled={busy} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button danger-solid" disabled={!confirmed || busy || blockedByOffline}>
            {scope === 'everywhere' ? 'Delete everything everywhere' : 'Delete everything on this device'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
