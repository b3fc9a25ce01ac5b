import { type CheckIn, EXERTION_SCALES, formatSleep } from '../shared/checkin';
import { DEFAULT_SYMPTOM_LIST, ratedIds, ratingOf, type SymptomList, symptomById } from '../shared/symptoms';
import type { CheckInList } from './check-in-store';

/** How many past check-ins the list shows. */
const RECENT = 14;

/** "Sun 29 Nov", from a local `YYYY-MM-DD`. */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y!, m! - 1, d!).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
}

/** Every value of a check-in in a line, symptoms no longer tracked included (by the name they have now). */
export function summary(c: CheckIn, list: SymptomList): string {
  const parts: string[] = [];
  if (c.sleepMinutes !== null) parts.push(`Slept ${formatSleep(c.sleepMinutes)}`);
  for (const id of ratedIds(c)) {
    const symptom = symptomById(id, list);
    parts.push(`${symptom.label} ${symptom.levels[ratingOf(c, id)!].toLowerCase()}`);
  }
  for (const s of EXERTION_SCALES) if (c[s.key] !== null) parts.push(`${s.label} exertion ${s.levels[c[s.key]!].toLowerCase()}`);
  if (c.periodDay) parts.push('period day');
  if (c.note) parts.push('note');
  return parts.length > 0 ? parts.join(' · ') : c.crash || c.unwell ? '' : 'Nothing rated';
}

/** The latest check-ins, each a link to edit it; and any synced doc that could not be read. */
export function RecentCheckIns({
  list,
  current,
  symptoms = DEFAULT_SYMPTOM_LIST,
}: {
  list: CheckInList;
  current: string;
  symptoms?: SymptomList;
}) {
  const recent = list.checkIns.slice(0, RECENT);
  return (
    <section class="card" aria-labelledby="recent-checkins-title">
      <h2 id="recent-checkins-title" class="card-title">
        Recent check-ins
      </h2>
      {recent.length === 0 && <p class="muted">No check-ins yet.</p>}
      <ul class="list" data-testid="recent-checkins">
        {recent.map((c) => {
          const id = `${c.date}-${c.period}`;
          const label = `${formatDate(c.date)}, ${c.period}`;
          return (
            <li key={id} class="list-row checkin-row">
              <div>
                <strong>{label}</strong>
                {c.crash && <span class="pill pill-crash">Crash</span>}
                {c.unwell && <span class="pill pill-crash">Unwell</span>}
                <div class="muted small">{summary(c, symptoms)}</div>
              </div>
              {id === current ? (
                <span class="muted small">Open above</span>
              ) : (
                <a class="button small-button" href={`/check-in?date=${c.date}&period=${c.period}`} aria-label={`Edit ${label}`}>
                  Edit
                </a>
              )}
            </li>
          );
        })}
      </ul>
      {list.unreadable.length > 0 && (
        <div class="error" role="note">
          <p>
            {list.unreadable.length} synced {list.unreadable.length === 1 ? 'check-in' : 'check-ins'} could not be read (perhaps saved by a
            newer version of Steady). They are kept unchanged:
          </p>
          <ul>
            {list.unreadable.map((u) => (
              <li key={u.id}>
                {u.id}: {u.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
