import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { blankCheckIn, CHECK_IN_PERIODS, type CheckIn, type CheckInPeriod, checkInId, isIsoDate } from '../shared/checkin';
import { lastRun } from '../sync/sync-client';
import { ScreenHeader } from '../ui/screen-header';
import { CheckInForm, type SaveStatus } from './check-in-form';
import { type CheckInList, loadCheckIns, periodAt, saveCheckIn, today } from './check-in-store';
import { formatDate, RecentCheckIns } from './recent-check-ins';
import { SymptomListEditor } from './symptom-list-card';
import { loadSymptomList, type StoredSymptomList } from './symptom-list-store';

/** The check-in the URL asks for (`?date=2026-11-29&period=evening`), else today's for this time of day. */
function target(query: Record<string, string>, now: number): { date: string; period: CheckInPeriod; problem: string | null } {
  const todayDate = today(now);
  const period = CHECK_IN_PERIODS.includes(query.period as CheckInPeriod) ? (query.period as CheckInPeriod) : periodAt(now);
  if (query.date === undefined || query.date === todayDate) return { date: todayDate, period, problem: null };
  if (!isIsoDate(query.date) || query.date > todayDate)
    return { date: todayDate, period, problem: `There is no check-in for “${query.date}”: showing today's instead.` };
  return { date: query.date, period, problem: null };
}

const same = (a: CheckIn, b: CheckIn) => JSON.stringify(a) === JSON.stringify(b);

/** The daily symptom check-in: morning and evening, editable, saved offline and synced. */
export function CheckInScreen() {
  const { query } = useLocation();
  const { date, period, problem } = target(query, Date.now());
  const id = checkInId(date, period);
  const [list, setList] = useState<CheckInList | null>(null);
  const [baseline, setBaseline] = useState<CheckIn>(() => blankCheckIn(date, period));
  const [draft, setDraft] = useState<CheckIn>(baseline);
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [symptoms, setSymptoms] = useState<StoredSymptomList | null>(null);
  const dirty = !same(draft, baseline);
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const shownId = useRef<string | null>(null);
  // Reload after every sync run too, so an edit from another device shows here.
  const syncRun = lastRun.value;

  useEffect(() => {
    let live = true;
    Promise.all([loadCheckIns(), loadSymptomList()]).then(
      ([loaded, symptomList]) => {
        if (!live) return;
        setList(loaded);
        // A first-run picker being filled in keeps its draft; the form follows the stored list.
        setSymptoms((shown) => (shown && !shown.chosen && !symptomList.chosen ? shown : symptomList));
        setLoadError(null);
        const stored = loaded.checkIns.find((c) => checkInId(c.date, c.period) === id) ?? blankCheckIn(date, period);
        setBaseline(stored);
        // Unsaved edits to the open check-in survive a background reload; a new target replaces them.
        if (shownId.current !== id || !dirtyRef.current) {
          setDraft(stored);
          if (shownId.current !== id) setStatus({ kind: 'idle' });
        }
        shownId.current = id;
      },
      (error: unknown) => live && setLoadError(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      live = false;
    };
  }, [id, syncRun]);

  const save = async () => {
    setStatus({ kind: 'saving' });
    try {
      const saved = await saveCheckIn(draft);
      setBaseline(saved);
      setDraft(saved);
      setStatus({ kind: 'saved', at: saved.savedAt });
      setList(await loadCheckIns());
    } catch (error) {
      setStatus({ kind: 'error', message: `Not saved: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  const ready = shownId.current === id && symptoms !== null;
  return (
    <>
      <ScreenHeader title="Check-in">How are you? A few taps, morning and evening. Leave out anything you'd rather not rate.</ScreenHeader>
      {problem && <p class="error">{problem}</p>}
      {symptoms && !symptoms.chosen && (
        <section class="card first-run" data-testid="first-run-symptoms">
          <SymptomListEditor stored={symptoms} firstRun onSaved={(saved) => setSymptoms({ list: saved, chosen: true, problem: null })} />
        </section>
      )}
      {loadError && <p class="error">Could not read check-ins on this device: {loadError}</p>}
      <section class="card" aria-labelledby="checkin-title">
        <div class="checkin-head">
          <h2 id="checkin-title" class="checkin-title" data-testid="checkin-title">
            {date === today() ? 'Today' : formatDate(date)}, {period}
          </h2>
          <nav class="period-switch" aria-label="Morning or evening">
            {CHECK_IN_PERIODS.map((p) => (
              <a key={p} href={`/check-in?date=${date}&period=${p}`} aria-current={p === period ? 'page' : undefined}>
                {p === 'morning' ? 'Morning' : 'Evening'}
              </a>
            ))}
          </nav>
        </div>
        {baseline.savedAt > 0 && !dirty && status.kind !== 'saved' && (
          <p class="muted small" data-testid="checkin-saved-at">
            Saved {new Date(baseline.savedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}. Change anything and
            save again.
          </p>
        )}
        {ready ? (
          <CheckInForm draft={draft} list={symptoms.list} dirty={dirty} status={status} onChange={setDraft} onSave={() => void save()} />
        ) : (
          <p class="muted">Loading…</p>
        )}
      </section>
      {list && <RecentCheckIns list={list} current={id} symptoms={symptoms?.list} />}
    </>
  );
}
