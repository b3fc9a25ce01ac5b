import { useEffect, useState } from 'preact/hooks';
import type { SymptomList } from '../shared/symptoms';
import { lastRun } from '../sync/sync-client';
import { loadSymptomList, type StoredSymptomList, saveSymptomList } from './symptom-list-store';
import { SymptomPicker } from './symptom-picker';

type Status = { kind: 'idle' | 'saving' | 'saved' } | { kind: 'failed'; message: string };

/**
 * The symptom picker with its save button. `firstRun` is the onboarding version on the check-in
 * screen: it says why it is there, and disappears once a list is saved.
 */
export function SymptomListEditor({
  stored,
  firstRun,
  onSaved,
}: {
  stored: StoredSymptomList;
  firstRun: boolean;
  onSaved: (list: SymptomList) => void;
}) {
  const [draft, setDraft] = useState<SymptomList>(stored.list);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const prefix = firstRun ? 'first-symptoms' : 'symptoms';
  const save = async (event: Event) => {
    event.preventDefault();
    setStatus({ kind: 'saving' });
    try {
      const saved = await saveSymptomList(draft);
      setStatus({ kind: 'saved' });
      onSaved(saved);
    } catch (error) {
      setStatus({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <form onSubmit={save} aria-labelledby={`${prefix}-title`} noValidate>
      <h2 id={`${prefix}-title`} class="card-title">
        {firstRun ? 'Choose what you track' : 'Symptoms you track'}
      </h2>
      <p class="muted small">
        {firstRun
          ? 'Your check-in asks only the symptoms you tick. Change them any time in Settings; past ratings are kept.'
          : 'Your check-in asks only these. Past ratings of a symptom you untick are kept and still show in Trends and exports.'}
      </p>
      {stored.problem && <p class="error small">The saved list could not be read ({stored.problem}); showing the defaults.</p>}
      <SymptomPicker
        list={draft}
        onChange={(next) => {
          setDraft(next);
          setStatus({ kind: 'idle' });
        }}
        idPrefix={prefix}
      />
      <div class="checkin-actions">
        <button type="submit" class="button primary" disabled={status.kind === 'saving'}>
          {firstRun ? 'Use this list' : 'Save symptoms'}
        </button>
        <p role="status" class={status.kind === 'failed' ? 'error' : 'muted'} data-testid={`${prefix}-status`}>
          {status.kind === 'saving'
            ? 'Saving…'
            : status.kind === 'saved'
              ? 'Saved. It syncs to your other devices.'
              : status.kind === 'failed'
                ? status.message
                : ''}
        </p>
      </div>
    </form>
  );
}

/** Settings: the symptoms the check-in asks, synced to every device. */
export function SymptomListCard() {
  const [stored, setStored] = useState<StoredSymptomList | null>(null);
  const syncRun = lastRun.value;
  useEffect(() => {
    let live = true;
    // Read once per sync run until shown; an open editor keeps its draft.
    if (stored === null) void loadSymptomList().then((loaded) => live && setStored(loaded));
    return () => {
      live = false;
    };
  }, [syncRun, stored]);
  return (
    <section class="card" data-testid="symptom-settings">
      {stored ? (
        <SymptomListEditor stored={stored} firstRun={false} onSaved={(list) => setStored({ list, chosen: true, problem: null })} />
      ) : (
        <p class="muted">Loading…</p>
      )}
    </section>
  );
}
