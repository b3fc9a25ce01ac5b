import type { AlertLogEntry } from './alert-log';

const REASONS: Record<AlertLogEntry['reason'], string> = {
  episode: 'alert',
  'quiet-hours-ended': 'after quiet hours',
  repeat: 'gentle reminder',
  held: 'held: quiet hours',
};
const DELIVERY: Record<AlertLogEntry['delivery'], string> = {
  notification: 'notified',
  'in-page': 'shown here',
  off: 'alerts off',
  held: 'not notified',
};

/** Today's alerts, newest first, including those held in quiet hours. */
export function AlertLogList({ entries }: { entries: readonly AlertLogEntry[] }) {
  return (
    <section class="alert-log" aria-labelledby="alert-log-title" data-testid="alert-log">
      <h3 id="alert-log-title" class="small-title">
        Today's alerts
      </h3>
      <ul>
        {[...entries].reverse().map((entry) => (
          <li key={`${entry.t}-${entry.reason}`} data-reason={entry.reason}>
            <span class="alert-log-time">{clock(entry.t)}</span> {entry.bpm} bpm, threshold {entry.threshold} — {REASONS[entry.reason]}
            {entry.reason === 'held' ? '' : `, ${DELIVERY[entry.delivery]}`}
            {entry.demo ? ' (demo)' : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

function clock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
