import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChartMark } from '../shared/treatments';
import type { DayRow } from '../shared/trends/day-rows';
import type { SeriesDef } from '../shared/trends/series';
import { summarySentence } from '../shared/trends/summary';
import { LoadFailed, loadOnce, loadThen } from '../ui/lazy';
import type { DailyPlot } from './daily-plot';
import { dayLabel } from './format';

const NO_MARKS: readonly ChartMark[] = [];

/** uPlot and the plot code, fetched once when the trends view first draws (not first-screen code). */
const loadPlot = loadOnce(() => import('./daily-plot'));
/** The next task: six charts built in one go would hold the main thread too long. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

interface Props {
  rows: readonly DayRow[];
  series: readonly SeriesDef[];
  /** Treatments and events to mark (src/shared/treatments.ts chartMarks). */
  marks?: readonly ChartMark[];
  /** Called once the chart for these rows is on screen. */
  onPainted?: () => void;
}

/**
 * A daily chart with its summary in words beside it: the sentence is the chart for anyone who
 * cannot see it, so it names the same figures (average, lowest and highest with their days).
 */
export function DailyChart({ rows, series, marks = NO_MARKS, onPainted }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const hasData = series.some((s) => rows.some((row) => s.value(row) !== null));
  // What the chart draws, as text: while the worker fills in other series, this chart is left alone.
  const signature = useMemo(
    () =>
      `${series.map((s) => s.id)}|${rows.map((row) => `${row.date}:${series.map((s) => s.value(row))}:${row.crash ? 1 : 0}`).join(';')}|${marks.map((m) => `${m.day}:${m.kind}`).join(';')}`,
    [rows, series, marks],
  );
  const drawn = useRef<string | null>(null);
  const painted = useRef(onPainted);
  painted.current = onPainted;
  const reportPainted = () => requestAnimationFrame(() => setTimeout(() => painted.current?.(), 0));

  useEffect(() => {
    const element = host.current;
    drawn.current = null;
    if (!element || !hasData) {
      drawn.current = signature;
      reportPainted();
      return;
    }
    let plot: DailyPlot | null = null;
    let disposed = false;
    loadThen(
      loadPlot,
      async ({ createDailyPlot }) => {
        await nextTask();
        if (disposed) return;
        plot = createDailyPlot(element, rows, series, marks);
        drawn.current = signature;
        reportPainted();
      },
      () => {
        if (disposed) return;
        setFailed(true);
        reportPainted();
      },
    );
    const resize = new ResizeObserver(() => plot?.resize(element.clientWidth));
    resize.observe(element);
    return () => {
      disposed = true;
      resize.disconnect();
      plot?.destroy();
    };
  }, [signature, hasData]);

  // New rows that leave this chart as it was: it is already on screen for them.
  useEffect(() => {
    if (drawn.current === signature) reportPainted();
  }, [onPainted]);

  const crashes = rows.filter((row) => row.crash).map((row) => dayLabel(row.date));
  const title = series.map((s) => s.label).join(' and ');
  return (
    <figure class="trend-chart" data-series={series.map((s) => s.id).join(' ')}>
      {hasData ? (
        <div ref={host} class="trend-plot" role="img" aria-label={`Chart of ${title}; the same figures are in the text below`} />
      ) : (
        <div class="trend-empty" ref={host}>
          <p>{emptyText(series)}</p>
        </div>
      )}
      <figcaption class="trend-summary">
        {/* Without data the explanation above is the whole story; a "nothing recorded" sentence would repeat it. */}
        {hasData &&
          series.map((s) => (
            <p key={s.id} data-summary={s.id}>
              {summarySentence(rows, s, dayLabel)}
              {s.scaleNote && <span class="muted small"> Scale: {s.scaleNote}.</span>}
            </p>
          ))}
        {hasData && crashes.length > 0 && (
          <p class="muted small" data-summary="crashes">
            Shaded: crash day{crashes.length === 1 ? '' : 's'} ({crashes.join(', ')}).
          </p>
        )}
        {hasData && marks.length > 0 && (
          <p class="muted small" data-summary="marks">
            Marked: {marks.map((m) => `${m.label} (${dayLabel(m.day)})`).join('; ')}. Dashed line: a start or an event; dotted: a stop.
          </p>
        )}
        {failed && <LoadFailed what="This chart">The figures above and the table below still hold everything.</LoadFailed>}
      </figcaption>
    </figure>
  );
}

/** What is missing, and what would fill the chart. */
function emptyText(series: readonly SeriesDef[]): string {
  const ids = series.map((s) => s.id);
  if (ids.some((id) => id === 'rmssd' || id === 'lnRmssd' || id === 'restingHr' || id === 'stability')) {
    if (ids.includes('stability'))
      return 'No stability score in this period. It needs at least 4 morning measurements: take one each morning.';
    return 'No morning measurements in this period. Take a morning reading and it will show here.';
  }
  if (ids.includes('aboveThreshold') || ids.includes('pacePoints'))
    return 'No heart rate recorded in this period. Wear and connect your armband (Today screen) to count time above your threshold.';
  return 'No check-ins in this period. Rate your symptoms on the Check-in screen, morning or evening.';
}
