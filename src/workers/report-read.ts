import type { SteadyDb } from '../db/schema';
import type { DayKey } from '../shared/days';
import type { TrendsResponse } from '../shared/messages';
import type { ReportNote } from '../shared/report/report-layout';
import type { ReportStandTest } from '../shared/report/stand-tests';
import { dailyJob } from './trends-jobs';
import { readTrendDocs } from './trends-read';

type DailyRows = Extract<TrendsResponse, { type: 'DAILY_ROWS' }>;

/**
 * The Trends screen's daily rows for the period, by the very job that screen runs (with its cache
 * of counted days), so the report and the screen always show the same figures.
 */
export async function dailyRowsForReport(lastDay: DayKey, days: number, signal: AbortSignal): Promise<DailyRows> {
  let last: DailyRows | null = null;
  await dailyJob(
    { type: 'DAILY', requestId: 0, lastDay, days },
    (message) => {
      if (message.type === 'DAILY_ROWS') last = message;
    },
    signal,
  );
  if (!last) throw new Error('the daily rows were never produced');
  return last;
}

/** Check-in notes of the days from `first` to `last`, oldest first, mornings before evenings. */
export async function readNotes(db: SteadyDb, first: DayKey, last: DayKey): Promise<ReportNote[]> {
  const { checkIns } = await readTrendDocs(db);
  return checkIns
    .filter((c) => c.date >= first && c.date <= last && c.note.trim() !== '')
    .sort((a, b) => (a.date === b.date ? (a.period === 'morning' ? -1 : 1) : a.date < b.date ? -1 : 1))
    .map((c) => ({ date: c.date, period: c.period, text: c.note.trim() }));
}

/**
 * The adapter from stored stand tests to the report's list, for tests in [from, to).
 * TODO(issue 14 part 1): the stand test and its synced document kind are being built alongside
 * this report; once that kind exists, read its docs here (the `docs` store's byKind index), parse
 * them with its parser and map each to ReportStandTest. Until then no stand test can be stored,
 * so there is none to list and the summary says "None in this period."
 */
export async function readStandTests(_db: SteadyDb, _from: number, _to: number): Promise<ReportStandTest[]> {
  return [];
}
