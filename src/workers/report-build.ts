import { openSteadyDb } from '../db/schema';
import { dayBounds, dayKeyOf } from '../shared/days';
import type { ReportWorkerRequest, ReportWorkerResponse } from '../shared/messages';
import { reportOptionsProblem } from '../shared/report/options';
import { layoutReport, reportTitle } from '../shared/report/report-layout';
import { createReportDocument } from './report-pdf';
import { dailyRowsForReport, readNotes, readStandTests } from './report-read';

type Ready = Extract<ReportWorkerResponse<Blob>, { type: 'REPORT_READY' }>;

/** Reads the period's records, lays the report out and writes it as a PDF. */
export async function buildReport(request: Extract<ReportWorkerRequest, { type: 'BUILD_REPORT' }>, signal: AbortSignal): Promise<Ready> {
  const { options, jobId, madeAt } = request;
  const problem = reportOptionsProblem(options);
  if (problem) throw new RangeError(problem);
  const daily = await dailyRowsForReport(options.lastDay, options.days, signal);
  const first = daily.rows[0]!.date;
  const last = daily.rows[daily.rows.length - 1]!.date;
  const db = await openSteadyDb();
  const [notes, standTests] = await Promise.all([
    options.sections.notes ? readNotes(db, first, last) : [],
    readStandTests(db, dayBounds(first).from, dayBounds(last).to),
  ]);
  signal.throwIfAborted();
  const title = reportTitle(first, last);
  const pdf = await createReportDocument({
    title,
    subject: 'Heart-rate pacing, morning HRV, symptoms and crash days, from the Steady app',
    language: 'en',
    madeAt: new Date(madeAt),
  });
  const pages = layoutReport(
    {
      options,
      rows: daily.rows,
      dailyPoints: daily.dailyPoints,
      standTests,
      notes,
      madeOn: dayKeyOf(madeAt),
      skippedRecords: daily.skippedDocs.length,
    },
    pdf.metrics,
  );
  pdf.draw(pages);
  signal.throwIfAborted();
  const bytes = await pdf.doc.save();
  return {
    type: 'REPORT_READY',
    jobId,
    pdf: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }),
    fileName: `steady-report-${first}-to-${last}.pdf`,
    pages: pages.length,
    firstPage: pages[0]!,
  };
}
