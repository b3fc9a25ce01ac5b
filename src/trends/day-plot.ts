import uPlot from '../ui/uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartSeries } from '../shared/trends/downsample';
import { axisStyle, plotTheme } from './plot-theme';

/** A drawn 24-hour chart; `show` replaces its day. Loaded lazily with uPlot. */
export interface DayPlot {
  show(day: { from: number; to: number; series: ChartSeries; threshold: number | null }, painted: () => void): void;
  resize(width: number): void;
  destroy(): void;
}

const HEIGHT = 220;
const hourFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** Creates the chart in `host`: heart rate (already downsampled in the worker) and the threshold as a dashed line. */
export function createDayPlot(host: HTMLElement): DayPlot {
  const theme = plotTheme(host);
  let threshold: number | null = null;
  let range: [number, number] = [0, 86_400];
  let onPainted: (() => void) | null = null;

  const drawThreshold = (u: uPlot) => {
    if (threshold === null) return;
    const { ctx, bbox } = u;
    const y = Math.round(u.valToPos(threshold, 'y', true));
    if (y < bbox.top || y > bbox.top + bbox.height) return;
    ctx.save();
    ctx.strokeStyle = theme.warn;
    ctx.fillStyle = theme.warn;
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.setLineDash([8 * devicePixelRatio, 6 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.font = `600 ${12 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.fillText(`threshold ${threshold} bpm`, bbox.left + 6 * devicePixelRatio, y - 6 * devicePixelRatio);
    ctx.restore();
  };

  const plot = new uPlot(
    {
      width: host.clientWidth || 320,
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      scales: {
        x: { time: true, range: () => range },
        y: {
          range: (_u, min, max) => {
            const low = Math.min(min ?? 60, threshold ?? Number.POSITIVE_INFINITY);
            const high = Math.max(max ?? 100, threshold ?? 0);
            return [Math.max(0, Math.floor((low - 10) / 10) * 10), Math.ceil((high + 10) / 10) * 10];
          },
        },
      },
      axes: [
        { ...axisStyle(theme), space: 56, values: (_u, splits) => splits.map((s) => hourFormat.format(s * 1000)) },
        { ...axisStyle(theme), size: 44 },
      ],
      series: [
        { value: (_u, v) => (v === null ? '' : timeFormat.format(v * 1000)) },
        { label: 'Heart rate', stroke: theme.a, width: 1.5, spanGaps: false, points: { show: false } },
      ],
      hooks: {
        draw: [
          (u) => {
            drawThreshold(u);
            const painted = onPainted;
            onPainted = null;
            painted?.();
          },
        ],
      },
    },
    [[], []],
    host,
  );

  return {
    show(day, painted) {
      threshold = day.threshold;
      range = [day.from / 1000, day.to / 1000];
      onPainted = painted;
      plot.setData([day.series.x, day.series.y]);
    },
    resize: (width) => plot.setSize({ width, height: HEIGHT }),
    destroy: () => plot.destroy(),
  };
}
