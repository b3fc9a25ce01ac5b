import { type DayKey, dayStart } from '../shared/days';

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const longDayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** "12 Nov" (in the reader's locale). */
export const dayLabel = (day: DayKey) => dayFormat.format(dayStart(day));
/** "Thu, 12 Nov". */
export const longDayLabel = (day: DayKey) => longDayFormat.format(dayStart(day));
/** "14:05" or "2:05 PM". */
export const timeLabel = (t: number) => timeFormat.format(t);

/** Minutes as "1 h 25 min" / "25 min". */
export function durationLabel(minutes: number): string {
  const whole = Math.round(minutes);
  const h = Math.floor(whole / 60);
  return h > 0 ? `${h} h ${whole % 60} min` : `${whole} min`;
}

/** Marks a named moment and measures from `start`, for the benchmark and the DevTools timeline. */
export function measureSince(start: string, name: string, detail?: Record<string, number>): void {
  if (performance.getEntriesByName(start, 'mark').length === 0) return;
  performance.measure(name, { start, detail });
}
