import uPlot from '../ui/uplot';
import 'uplot/dist/uPlot.min.css';
import { dayStart } from '../shared/days';
import type { ChartMark } from '../shared/treatments';
import type { DayRow } from '../shared/trends/day-rows';
import type { SeriesDef } from '../shared/trends/series';
import { axisStyle, plotTheme } from './plot-theme';

/** A drawn daily chart: one series, or two on their own y axes (an overlay). Loaded lazily with uPlot. */
export interface DailyPlot {
  resize(width: number): void;
  destroy(): void;
}

const HEIGHT = 200;
const DAY_S = 86_400;
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** Draws `series` (one or two) over `rows`, days with a crash shaded, treatments and events marked. */
export function createDailyPlot(
  host: HTMLElement,
  rows: readonly DayRow[],
  series: readonly SeriesDef[],
  marks: readonly ChartMark[] = [],
): DailyPlot {
  const theme = plotTheme(host);
  const colours = [theme.a, theme.b];
  // Noon of each local day: bars and points sit in the middle of their day whatever the DST shift.
  const x = rows.map((row) => dayStart(row.date) / 1000 + DAY_S / 2);
  const crashes = rows.filter((row) => row.crash).map((row) => dayStart(row.date) / 1000);
  const dual = series.length > 1;

  const shadeCrashes = (u: uPlot) => {
    const { ctx, bbox } = u;
    ctx.save();
    for (const start of crashes) {
      const left = Math.max(u.valToPos(start, 'x', true), bbox.left);
      const right = Math.min(u.valToPos(start + DAY_S, 'x', true), bbox.left + bbox.width);
      if (right <= left) continue;
      ctx.globalAlpha = 0.16;
      ctx.fillStyle = theme.warn;
      ctx.fillRect(left, bbox.top, right - left, bbox.height);
      // A solid tick on top, so a crash day reads without relying on the faint shade's colour.
      ctx.globalAlpha = 1;
      ctx.fillRect(left, bbox.top, right - left, 4 * devicePixelRatio);
    }
    ctx.restore();
  };

  // A dashed line at the start of each marked day: starts and events solid-dashed, stops dotted, so
  // they read apart without colour. The caption names each one in words.
  const drawMarks = (u: uPlot) => {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = theme.text;
    ctx.lineWidth = 1.5 * devicePixelRatio;
    for (const mark of marks) {
      const left = Math.round(u.valToPos(dayStart(mark.day) / 1000, 'x', true));
      if (left < bbox.left || left > bbox.left + bbox.width) continue;
      ctx.setLineDash(mark.kind === 'stop' ? [2 * devicePixelRatio, 3 * devicePixelRatio] : [6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.beginPath();
      ctx.moveTo(left, bbox.top);
      ctx.lineTo(left, bbox.top + bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  };

  const plot = new uPlot(
    {
      width: host.clientWidth || 320,
      height: HEIGHT,
      legend: { show: dual },
      cursor: { drag: { x: false, y: false }, points: { size: 8 } },
      scales: {
        x: { time: true, range: () => [(x[0] ?? 0) - DAY_S / 2, (x[x.length - 1] ?? DAY_S) + DAY_S / 2] },
        ...Object.fromEntries(series.map((s, i) => [`y${i}`, { range: rangeFor(s) }])),
      },
      axes: [
        { ...axisStyle(theme), space: 64, values: (_u, splits) => splits.map((s) => dayFormat.format(s * 1000)) },
        ...series.map((_s, i) => ({
          ...axisStyle(theme),
          scale: `y${i}`,
          side: i === 0 ? 3 : 1,
          size: 48,
          stroke: dual ? colours[i] : theme.text,
          grid: { ...axisStyle(theme).grid, show: i === 0 },
          values: (_u: uPlot, splits: number[]) => splits.map((v) => `${+v.toFixed(2)}`),
        })),
      ],
      series: [
        { label: 'Day', value: (_u: uPlot, v: number | null) => (v === null ? '–' : dayFormat.format(v * 1000)) },
        ...series.map((s, i) => ({
          label: s.unit ? `${s.label} (${s.unit})` : s.label,
          scale: `y${i}`,
          stroke: colours[i],
          width: 2,
          dash: i === 1 ? [6, 4] : undefined,
          spanGaps: false,
          fill: s.style === 'bars' && !dual ? `${colours[i]}66` : undefined,
          paths: s.style === 'bars' && !dual ? uPlot.paths.bars?.({ size: [0.6, 40] }) : undefined,
          points: { show: s.style === 'line' || dual, size: 6, fill: colours[i] },
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : v.toFixed(s.decimals)),
        })),
      ],
      hooks: { drawClear: [shadeCrashes], draw: [drawMarks] },
    },
    [x, ...series.map((s) => rows.map((row) => s.value(row)))],
    host,
  );

  return {
    resize: (width) => plot.setSize({ width, height: HEIGHT }),
    destroy: () => plot.destroy(),
  };
}

/** Fixed for bounded scales; otherwise the data with a little room, starting at 0 for totals. */
function rangeFor(series: SeriesDef): uPlot.Scale.Range {
  if (series.range) {
    const [min, max] = series.range;
    return () => [min, max];
  }
  return (_u, min, max) => {
    if (min === null || max === null || !Number.isFinite(min)) return [0, 1];
    const pad = Math.max((max - min) * 0.15, max * 0.05, 1);
    return [series.style === 'bars' ? 0 : Math.max(0, Math.floor(min - pad)), Math.ceil(max + pad)];
  };
}
