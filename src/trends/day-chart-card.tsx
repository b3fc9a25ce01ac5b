import { useEffect, useRef, useState } from 'preact/hooks';
import { addDays, type DayKey, dayKeyOf } from '../shared/days';
import type { TrendsResponse } from '../shared/messages';
import { LoadFailed, loadThen, reportLoadFailure } from '../ui/lazy';
import type { DayPlot } from './day-plot';
import { durationLabel, longDayLabel, measureSince, timeLabel } from './format';
import { requestDayChart } from './trends-client';

type DayData = Extract<TrendsResponse, { type: 'DAY_CHART_DATA' }>;

/** Marks for the benchmark: from asking the worker to the chart on screen. */
export const DAY_CHART_START = 'steady:day-chart:request';
export const DAY_CHART_MEASURE = 'steady:day-chart';

/**
 * One day of heart rate, second by second (~86,400 samples), downsampled in the worker to the
 * plot's width in device pixels, with the threshold drawn; its figures in words below.
 */
export function DayChartCard({ today }: { today: DayKey }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<DayPlot | null>(null);
  const [day, setDay] = useState(today);
  const [data, setData] = useState<DayData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [plotFailed, setPlotFailed] = useState(false);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let disposed = false;
    loadThen(
      () => import('./day-plot'),
      ({ createDayPlot }) => {
        if (disposed) return;
        plot.current = createDayPlot(element);
        setWidth(element.clientWidth);
      },
      () => {
        if (!disposed) setPlotFailed(true);
      },
    );
    const resize = new ResizeObserver(() => {
      plot.current?.resize(element.clientWidth);
      setWidth(element.clientWidth);
    });
    resize.observe(element);
    return () => {
      disposed = true;
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  // Bucket count follows the plot's width in device pixels, rounded so small resizes do not refetch.
  const buckets = Math.max(60, Math.ceil((width * devicePixelRatio) / 50) * 50);
  useEffect(() => {
    if (width === 0) return;
    const abort = new AbortController();
    performance.clearMarks(DAY_CHART_START);
    performance.mark(DAY_CHART_START);
    requestDayChart({ type: 'DAY_CHART', day, buckets }, abort.signal).then(
      (result) => {
        setError(null);
        setData(result);
        try {
          plot.current?.show({ from: result.from, to: result.to, series: result.series, threshold: result.bounds.threshold }, () =>
            requestAnimationFrame(() =>
              setTimeout(() => measureSince(DAY_CHART_START, DAY_CHART_MEASURE, { workerMs: result.workerMs }), 0),
            ),
          );
        } catch (failure) {
          // Drawing the day failed, not reading it: the figures still show in words.
          reportLoadFailure(failure);
          plot.current?.destroy();
          plot.current = null;
          setPlotFailed(true);
        }
      },
      (failure: unknown) => {
        if (abort.signal.aborted) return;
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => abort.abort();
  }, [day, buckets, width === 0]);

  const empty = data !== null && data.day === day && data.figures.samples === 0;
  return (
    <section class="card trend-card" aria-labelledby="day-chart-title">
      <div class="trend-card-head">
        <h2 id="day-chart-title" class="card-title">
          Heart rate through the day
        </h2>
        <div class="day-picker">
          <button type="button" class="button small-button" onClick={() => setDay(addDays(day, -1))} aria-label="Previous day">
            ‹
          </button>
          <label>
            <span class="visually-hidden">Day</span>
            <input
              type="date"
              value={day}
              max={today}
              onChange={(event) => {
                const value = (event.target as HTMLInputElement).value;
                if (value && value <= today) setDay(value);
              }}
            />
          </label>
          <button
            type="button"
            class="button small-button"
            onClick={() => setDay(addDays(day, 1))}
            disabled={day >= today}
            aria-label="Next day"
          >
            ›
          </button>
        </div>
      </div>
      <figure class="trend-chart">
        <div
          ref={host}
          class={`trend-plot day-plot${empty ? ' is-empty' : ''}`}
          role="img"
          aria-label={`Heart rate on ${longDayLabel(day)}; the dashed line is your pacing threshold. The figures are in the text below.`}
        />
        <figcaption class="trend-summary" aria-live="polite">
          <p data-summary="day">{daySentence(day, data, error)}</p>
          {plotFailed && <LoadFailed what="This chart">Its figures are in the sentence above.</LoadFailed>}
        </figcaption>
      </figure>
    </section>
  );
}

function daySentence(day: DayKey, data: DayData | null, error: string | null): string {
  if (error) return `Could not read ${longDayLabel(day)}: ${error}`;
  if (!data || data.day !== day) return `Reading ${longDayLabel(day)}…`;
  const { figures, load, bounds } = data;
  if (!figures.peak || !figures.low || figures.meanBpm === null) {
    return `No heart rate recorded on ${longDayLabel(day)}. Wear and connect your armband (Today screen) and the day fills in here.`;
  }
  const above = load ? `; ${durationLabel(load.aboveThresholdMs / 60_000)} at or above your threshold of ${bounds.threshold} bpm` : '';
  const recorded = load ? ` over ${durationLabel(load.recordedMs / 60_000)} recorded` : '';
  return (
    `On ${longDayLabel(day)} heart rate peaked at ${Math.round(figures.peak.bpm)} bpm at ${timeLabel(figures.peak.t)}, ` +
    `lowest ${Math.round(figures.low.bpm)} bpm at ${timeLabel(figures.low.t)}, average ${Math.round(figures.meanBpm)} bpm${recorded}${above}.`
  );
}

/** The local day now (for callers that have no clock of their own). */
export const todayKey = () => dayKeyOf(Date.now());
