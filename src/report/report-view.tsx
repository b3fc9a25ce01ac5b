import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../backup/format';
import { dayKeyOf } from '../shared/days';
import {
  DEFAULT_REPORT_DAYS,
  DEFAULT_SECTIONS,
  defaultPaper,
  PAPER_SIZES,
  type Paper,
  REPORT_PERIODS,
  REPORT_SECTIONS,
  type ReportOptions,
  type ReportSection,
} from '../shared/report/options';
import { PagePreview } from './page-preview';
import { canShareFile, makeReport, type ReadyReport, releaseReport } from './report-client';

type State = { kind: 'idle' } | { kind: 'making' } | { kind: 'ready'; report: ReadyReport } | { kind: 'failed'; message: string };

/** Marks for the long-task test: asking the worker, its answer arriving, the preview on screen. */
export const REPORT_START = 'steady:report:request';
export const REPORT_RECEIVED = 'steady:report:received';
export const REPORT_SHOWN = 'steady:report:shown';

/** The report screen's body: choose what goes in, make the PDF on this device, preview it, save or share it. */
export function ReportView() {
  const [days, setDays] = useState<number>(DEFAULT_REPORT_DAYS);
  const [paper, setPaper] = useState<Paper>(() => defaultPaper(navigator.language));
  const [sections, setSections] = useState<Record<ReportSection, boolean>>({ ...DEFAULT_SECTIONS });
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [shareError, setShareError] = useState<string | null>(null);
  const job = useRef<AbortController | null>(null);
  const report = state.kind === 'ready' ? state.report : null;
  const options = useMemo<ReportOptions>(() => ({ lastDay: dayKeyOf(Date.now()), days, paper, sections }), [days, paper, sections]);

  // The object URL holds the PDF in memory until revoked: when replaced, and when leaving the screen.
  useEffect(() => () => report && releaseReport(report), [report]);
  useEffect(() => () => job.current?.abort(), []);
  // A report made with other choices is not the one asked for any more.
  useEffect(() => {
    job.current?.abort();
    setState({ kind: 'idle' });
  }, [options]);

  const make = () => {
    job.current?.abort();
    const controller = new AbortController();
    job.current = controller;
    setState({ kind: 'making' });
    setShareError(null);
    for (const mark of [REPORT_START, REPORT_RECEIVED, REPORT_SHOWN]) performance.clearMarks(mark);
    performance.mark(REPORT_START);
    makeReport(options, controller.signal).then(
      (ready) => {
        performance.mark(REPORT_RECEIVED);
        if (controller.signal.aborted) return releaseReport(ready);
        // The preview (hundreds of SVG elements) is drawn in a task of its own, not in the one
        // that took the worker's reply: two short tasks rather than one long one.
        setTimeout(() => {
          if (controller.signal.aborted) return releaseReport(ready);
          setState({ kind: 'ready', report: ready });
        }, 0);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
  };

  const share = async (ready: ReadyReport) => {
    setShareError(null);
    try {
      await navigator.share({ files: [ready.file], title: ready.file.name });
    } catch (error) {
      // Closing the share sheet is a choice, not a failure.
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setShareError(error instanceof Error ? error.message : String(error));
    }
  };

  useEffect(() => {
    if (report) performance.mark(REPORT_SHOWN);
  }, [report]);

  return (
    <div class="report" data-state={state.kind}>
      <section class="card" aria-labelledby="report-choices-title">
        <h2 id="report-choices-title" class="card-title">
          What goes in
        </h2>
        <fieldset class="range-picker">
          <legend>Period: the last</legend>
          {REPORT_PERIODS.map((n) => (
            <label key={n} class={days === n ? 'is-selected' : ''}>
              <input type="radio" name="report-days" value={n} checked={days === n} onChange={() => setDays(n)} />
              {n} days
            </label>
          ))}
        </fieldset>
        <fieldset class="range-picker">
          <legend>Paper</legend>
          {(Object.keys(PAPER_SIZES) as Paper[]).map((id) => (
            <label key={id} class={paper === id ? 'is-selected' : ''}>
              <input type="radio" name="report-paper" value={id} checked={paper === id} onChange={() => setPaper(id)} />
              {PAPER_SIZES[id].label}
            </label>
          ))}
        </fieldset>
        <fieldset class="report-sections">
          <legend>After the one-page summary</legend>
          {REPORT_SECTIONS.map(({ id, label }) => (
            <label key={id} class="check-row">
              <input
                type="checkbox"
                checked={sections[id]}
                onChange={(event) => setSections({ ...sections, [id]: (event.target as HTMLInputElement).checked })}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <p class="muted small">
          The report is made on this device from its own records, and works offline. Nothing is sent anywhere: you choose whom to give it
          to.
        </p>
        <div class="button-row">
          <button type="button" class="button primary" disabled={state.kind === 'making'} onClick={make}>
            Make the report
          </button>
        </div>
        <p class="report-status" role="status" aria-live="polite">
          {state.kind === 'making' && 'Making your report on this device…'}
          {report && `Ready: ${report.pages} pages, ${formatBytes(report.file.size)}.`}
          {state.kind === 'failed' && <span class="error">Could not make the report: {state.message}</span>}
        </p>
      </section>
      {report && (
        <section class="card" aria-labelledby="report-preview-title">
          <h2 id="report-preview-title" class="card-title">
            Page 1 of {report.pages}
          </h2>
          <div class="button-row">
            <a class="button primary" href={report.url} download={report.file.name}>
              Save PDF
            </a>
            {canShareFile(report.file) && (
              <button type="button" class="button" onClick={() => void share(report)}>
                Share…
              </button>
            )}
          </div>
          {shareError && <p class="error">Could not share: {shareError}</p>}
          <div class="report-preview">
            <PagePreview page={report.firstPage} label="Preview of the report's first page, the summary" />
          </div>
        </section>
      )}
    </div>
  );
}
