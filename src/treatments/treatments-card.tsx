import { useState } from 'preact/hooks';
import { dayKeyOf } from '../shared/days';
import { EVENT_CATEGORIES, TREATMENT_CATEGORIES } from '../shared/treatments';
import { longDayLabel } from '../trends/format';
import { ComparisonPanel } from './comparison-panel';
import { type StoredEntry, saveEntry, stopTreatment } from './treatments-store';

type EntryType = 'treatment' | 'event';

interface Form {
  type: EntryType;
  category: string;
  name: string;
  dose: string;
  start: string;
  stop: string;
  note: string;
}

const blankForm = (type: EntryType, today: string): Form => ({
  type,
  category: type === 'treatment' ? 'medication' : 'appointment',
  name: '',
  dose: '',
  start: today,
  stop: '',
  note: '',
});

function bodyOf(form: Form): Record<string, unknown> {
  return form.type === 'treatment'
    ? {
        type: 'treatment',
        category: form.category,
        name: form.name,
        dose: form.dose,
        start: form.start,
        stop: form.stop || null,
        note: form.note,
      }
    : { type: 'event', category: form.category, name: form.name, date: form.start, note: form.note };
}

/** Which field a parse reason names ("name is empty…" → name), to mark that input invalid. */
const fieldOf = (reason: string) => /^(\w+)/.exec(reason)?.[1] ?? '';

/** Treatments and events: log one, see them listed, stop one, compare before and after. */
export function TreatmentsCard({
  today = dayKeyOf(Date.now()),
  entries,
  unreadable,
}: {
  today?: string;
  /** The stored entries (null while reading), read once by the Trends view for its chart marks too. */
  entries: StoredEntry[] | null;
  unreadable: number;
}) {
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [compareId, setCompareId] = useState<string | null>(null);
  const update = (change: Partial<Form>) => setForm((current) => (current ? { ...current, ...change } : current));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!form) return;
    const result = await saveEntry(null, bodyOf(form));
    if (!result.ok) {
      setError(result.reason);
      return;
    }
    setError(null);
    setForm(null);
    setSaved(`Saved: ${result.value.name}.`);
  };
  const stop = async (entry: StoredEntry) => {
    const result = await stopTreatment(entry.id, today);
    setSaved(result.ok ? `${entry.name}: stopped today.` : `Could not stop ${entry.name}: ${result.reason}`);
  };

  const invalid = error ? fieldOf(error) : '';
  const treatments = (entries ?? []).filter((e) => e.type === 'treatment');
  const compared = treatments.find((e) => e.id === compareId) ?? null;
  return (
    <section class="card treatments" aria-labelledby="treatments-title" data-testid="treatments">
      <h2 id="treatments-title" class="card-title">
        Treatments and events
      </h2>
      <p class="muted small">
        Log what you start, change or stop, and things that happened. They are marked on every chart above, and a treatment can be compared
        before and after.
      </p>
      {entries === null ? (
        <p class="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p class="muted">Nothing logged yet.</p>
      ) : (
        <ul class="entry-list">
          {entries.map((entry) => (
            <li key={entry.id} data-entry={entry.id}>
              <strong>{entry.name}</strong>
              {entry.type === 'treatment' && entry.dose && <span> · {entry.dose}</span>}
              <span class="muted small">
                {' '}
                {entry.type === 'treatment'
                  ? `${TREATMENT_CATEGORIES.find((c) => c.id === entry.category)?.label.split(' (')[0]}, from ${longDayLabel(entry.start)}${entry.stop ? ` to ${longDayLabel(entry.stop)}` : ' (ongoing)'}`
                  : `${EVENT_CATEGORIES.find((c) => c.id === entry.category)?.label}, ${longDayLabel(entry.date)}`}
              </span>
              {entry.type === 'treatment' && (
                <span class="button-row">
                  <button type="button" class="button" onClick={() => setCompareId(entry.id)} aria-pressed={compareId === entry.id}>
                    Compare before and after<span class="visually-hidden"> {entry.name}</span>
                  </button>
                  {entry.stop === null && entry.start <= today && (
                    <button type="button" class="button" onClick={() => void stop(entry)}>
                      Stopped today<span class="visually-hidden"> ({entry.name})</span>
                    </button>
                  )}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {unreadable > 0 && <p class="muted small">{unreadable} entry(ies) could not be read and are left out.</p>}
      <p class="muted small" aria-live="polite">
        {saved}
      </p>
      {form ? (
        <form class="entry-form" onSubmit={submit} noValidate aria-label={form.type === 'treatment' ? 'New treatment' : 'New event'}>
          <div class="field">
            <label for="entry-category">Kind</label>
            <select id="entry-category" value={form.category} onChange={(event) => update({ category: event.currentTarget.value })}>
              {(form.type === 'treatment' ? TREATMENT_CATEGORIES : EVENT_CATEGORIES).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="entry-name">Name</label>
            <input
              id="entry-name"
              type="text"
              autoComplete="off"
              value={form.name}
              aria-invalid={invalid === 'name' ? 'true' : undefined}
              onInput={(event) => update({ name: event.currentTarget.value })}
            />
          </div>
          {form.type === 'treatment' && (
            <div class="field">
              <label for="entry-dose">Dose (optional)</label>
              <input
                id="entry-dose"
                type="text"
                autoComplete="off"
                value={form.dose}
                aria-invalid={invalid === 'dose' ? 'true' : undefined}
                onInput={(event) => update({ dose: event.currentTarget.value })}
              />
            </div>
          )}
          <div class="field">
            <label for="entry-start">{form.type === 'treatment' ? 'Started on' : 'Date'}</label>
            <input
              id="entry-start"
              type="date"
              value={form.start}
              aria-invalid={invalid === 'start' || invalid === 'date' ? 'true' : undefined}
              onInput={(event) => update({ start: event.currentTarget.value })}
            />
          </div>
          {form.type === 'treatment' && (
            <div class="field">
              <label for="entry-stop">Stopped on (leave empty while it goes on)</label>
              <input
                id="entry-stop"
                type="date"
                value={form.stop}
                aria-invalid={invalid === 'stop' ? 'true' : undefined}
                onInput={(event) => update({ stop: event.currentTarget.value })}
              />
            </div>
          )}
          <div class="field">
            <label for="entry-note">Note (optional)</label>
            <input id="entry-note" type="text" value={form.note} onInput={(event) => update({ note: event.currentTarget.value })} />
          </div>
          {error && (
            <p class="error" role="alert">
              Not saved: {error}.
            </p>
          )}
          <div class="button-row">
            <button type="submit" class="button primary">
              Save
            </button>
            <button
              type="button"
              class="button"
              onClick={() => {
                setForm(null);
                setError(null);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div class="button-row">
          <button type="button" class="button" onClick={() => setForm(blankForm('treatment', today))}>
            Log a treatment
          </button>
          <button type="button" class="button" onClick={() => setForm(blankForm('event', today))}>
            Log an event
          </button>
        </div>
      )}
      {compared && <ComparisonPanel treatment={compared} today={today} />}
    </section>
  );
}
