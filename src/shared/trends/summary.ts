/** Plain-language summaries of a daily series: what a screen reader (or a glance) gets instead of a chart. */

import type { DayKey } from '../days';
import type { DayRow } from './day-rows';
import type { SeriesDef } from './series';

/** The figures behind a summary sentence. */
export interface SeriesSummary {
  /** Days with a value. */
  count: number;
  mean: number;
  /** The first day with the lowest value, and the first with the highest. */
  min: { value: number; date: DayKey };
  max: { value: number; date: DayKey };
}

/** Mean, lowest and highest of a series over rows; null when no row has a value. */
export function summarise(rows: readonly DayRow[], series: SeriesDef): SeriesSummary | null {
  let count = 0;
  let sum = 0;
  let min: SeriesSummary['min'] | null = null;
  let max: SeriesSummary['max'] | null = null;
  for (const row of rows) {
    const value = series.value(row);
    if (value === null || !Number.isFinite(value)) continue;
    count++;
    sum += value;
    if (!min || value < min.value) min = { value, date: row.date };
    if (!max || value > max.value) max = { value, date: row.date };
  }
  return min && max ? { count, mean: sum / count, min, max } : null;
}

/**
 * A number as shown to people, its unit after a space: an average with the series' decimals, a
 * day's own value as recorded (a rating of 2 reads "2", not "2.0").
 */
export function formatValue(value: number, series: SeriesDef, kind: 'average' | 'day' = 'average'): string {
  const text = kind === 'day' && Number.isInteger(value) ? String(value) : value.toFixed(series.decimals);
  return series.unit ? `${text} ${series.unit}` : text;
}

/**
 * One sentence, e.g. "Morning HRV averaged 42 ms over 30 days (28 with a value), lowest 31 ms on
 * 12 Nov, highest 55 ms on 3 Nov." `dateLabel` renders a day in the reader's locale.
 */
export function summarySentence(rows: readonly DayRow[], series: SeriesDef, dateLabel: (day: DayKey) => string): string {
  const s = summarise(rows, series);
  const days = `${rows.length} day${rows.length === 1 ? '' : 's'}`;
  if (!s) return `${series.subject}: nothing recorded over ${days}.`;
  const coverage = s.count === rows.length ? '' : ` (${s.count} with a value)`;
  const extremes =
    s.min.value === s.max.value
      ? `, ${formatValue(s.min.value, series, 'day')} every time`
      : `, lowest ${formatValue(s.min.value, series, 'day')} on ${dateLabel(s.min.date)}, highest ${formatValue(s.max.value, series, 'day')} on ${dateLabel(s.max.date)}`;
  return `${series.subject} averaged ${formatValue(s.mean, series)} over ${days}${coverage}${extremes}.`;
}
