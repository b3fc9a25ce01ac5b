import uPlot from '../../ui/uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoryGap, HistoryPoint } from '../live-history';
import { bpmRange, chartColumns } from './chart-data';

/** A drawn live chart: feed it snapshots; it never reads storage itself. */
export interface LiveChartPlot {
  update(points: HistoryPoint[], gaps: HistoryGap[], now: number, windowMs: number): void;
  resize(width: number): void;
  destroy(): void;
}

const HEIGHT = 180;

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const clockLabel = (seconds: number) => clockFormat.format(seconds * 1000);

/** The theme colours, read from app.css custom properties so light and dark both work. */
function colours(host: HTMLElement) {
  const style = getComputedStyle(host);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    line: read('--accent', '#1f6f66'),
    grid: read('--border', '#d5dfdc'),
    text: read('--muted', '#4f5f5c'),
    gap: read('--warn', '#8a4b00'),
  };
}

/** Creates the uPlot chart in `host` (loaded lazily: uPlot is not first-screen code). */
export function createLiveChartPlot(host: HTMLElement): LiveChartPlot {
  let gaps: HistoryGap[] = [];
  let now = Date.now();
  let theme = colours(host);
  const axis = () => ({ stroke: theme.text, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } });

  const drawGaps = (u: uPlot) => {
    const { ctx } = u;
    const { top, height } = u.bbox;
    ctx.save();
    for (const gap of gaps) {
      const left = u.valToPos(gap.start / 1000, 'x', true);
      const right = u.valToPos((gap.end ?? now) / 1000, 'x', true);
      const x = Math.max(left, u.bbox.left);
      const width = Math.min(right, u.bbox.left + u.bbox.width) - x;
      if (width <= 0) continue;
      ctx.globalAlpha = 0.18;
      ctx.fillStyle = theme.gap;
      ctx.fillRect(x, top, Math.max(width, 2 * devicePixelRatio), height);
      ctx.globalAlpha = 1;
      ctx.fillStyle = theme.gap;
      ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
      if (width > 30 * devicePixelRatio) ctx.fillText('gap', x + 4 * devicePixelRatio, top + 14 * devicePixelRatio);
    }
    ctx.restore();
  };

  const plot = new uPlot(
    {
      width: host.clientWidth || 320,
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { auto: false, range: (_u, min, max) => [min, max] } },
      axes: [
        // Whole minutes only, as "14:05" or "2:05 PM": uPlot's default adds a date line that collides on narrow charts.
        { ...axis(), space: 72, incrs: [60, 120, 300, 600, 1_800, 3_600], values: (_u, splits) => splits.map(clockLabel) },
        { ...axis(), size: 40 },
      ],
      series: [{}, { label: 'Heart rate', stroke: theme.line, width: 2, spanGaps: false, points: { show: false } }],
      hooks: { draw: [drawGaps] },
    },
    [[], []],
    host,
  );

  return {
    update(points, nextGaps, at, windowMs) {
      gaps = nextGaps;
      now = at;
      const fresh = colours(host);
      if (fresh.line !== theme.line) {
        theme = fresh;
        plot.series[1]!.stroke = () => theme.line;
      }
      const columns = chartColumns(points, nextGaps);
      plot.batch(() => {
        plot.setData(columns, false);
        plot.setScale('x', { min: (at - windowMs) / 1000, max: at / 1000 });
        plot.setScale('y', bpmRange(columns[1]));
      });
    },
    resize(width) {
      plot.setSize({ width, height: HEIGHT });
    },
    destroy() {
      plot.destroy();
    },
  };
}
