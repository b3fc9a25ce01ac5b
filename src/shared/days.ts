/**
 * Calendar days as people live them: local days (`YYYY-MM-DD`), so "Tuesday" on a chart means the
 * Tuesday the person remembers. A local day is 23 or 25 hours long when the clocks change, so day
 * starts are computed from the calendar (Date's local fields), never by adding 24 h.
 */

/** A local calendar day, `YYYY-MM-DD`. */
export type DayKey = string;

const pad = (n: number) => String(n).padStart(2, '0');

/** The local day that contains epoch ms `t`. */
export function dayKeyOf(t: number): DayKey {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Parses `YYYY-MM-DD` into [year, month (1–12), day]; throws a RangeError naming the value otherwise. */
export function parseDayKey(day: DayKey): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const parts = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [];
  const [y, m, d] = parts as [number, number, number];
  if (!match || m < 1 || m > 12 || d < 1 || d > 31 || new Date(y, m - 1, d).getDate() !== d) {
    throw new RangeError(`day ${JSON.stringify(day)} is not a YYYY-MM-DD calendar date`);
  }
  return [y, m, d];
}

/** Epoch ms of local midnight starting `day`. */
export function dayStart(day: DayKey): number {
  const [y, m, d] = parseDayKey(day);
  return new Date(y, m - 1, d).getTime();
}

/** The local day `offset` days after `day` (negative: before). */
export function addDays(day: DayKey, offset: number): DayKey {
  const [y, m, d] = parseDayKey(day);
  return dayKeyOf(new Date(y, m - 1, d + offset, 12).getTime());
}

/** [start, end) of a local day in epoch ms. */
export function dayBounds(day: DayKey): { from: number; to: number } {
  return { from: dayStart(day), to: dayStart(addDays(day, 1)) };
}

/** The `count` days ending with `lastDay`, oldest first. */
export function lastDays(lastDay: DayKey, count: number): DayKey[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a whole number ≥ 1, not ${count}`);
  return Array.from({ length: count }, (_, i) => addDays(lastDay, i - count + 1));
}
