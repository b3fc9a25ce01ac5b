import type { SteadyDb } from '../db/schema';
import type { DayKey } from '../shared/days';
import type { TrendsResponse } from '../shared/messages';
import type { ReportNote } from '../shared/report/report-layout';
import { type ReportStandTest, reportStandTest } from '../shared/report/stand-tests';
import { parseStandTestDoc } from '../shared/stand-test/document';
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
 * The stored stand tests that stood in [from, to), oldest first, as the report lists them. A
 * document this version cannot read is left out of the report (the export keeps it whole).
 */
export async function readStandTests(db: SteadyDb, from: number, to: number): Promise<ReportStandTest[]> {
  const tests: ReportStandTest[] = [];
  for (const doc of await db.getAllFromIndex('docs', 'byKind', 'stand-test')) {
    const parsed = parseStandTestDoc(doc.id, doc.body);
    if (parsed.ok && parsed.value.standAt >= from && parsed.value.standAt < to) tests.push(reportStandTest(parsed.value));
  }
  return tests.sort((a, b) => a.at - b.at);
}
