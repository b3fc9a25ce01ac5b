import uPlot from '../ui/uplot';
import 'uplot/dist/uPlot.min.css';
import type { StandTestDoc } from '../shared/stand-test/document';
import { axisStyle, plotTheme } from '../trends/plot-theme';

/** A drawn chart of stand-test rises. Loaded lazily with uPlot. */
export interface RisePlot {
  resize(width: number): void;
  destroy(): void;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** Each test's sustained rise as a point over time, with the threshold of the newest test as a dashed line. */
export function createRisePlot(host: HTMLElement, tests: readonly StandTestDoc[]): RisePlot {
  const theme = plotTheme(host);
  const x = tests.map((t) => t.startedAt / 1000);
  const rises = tests.map((t) => t.riseBpm);
  const threshold = tests.map((t) => t.thresholdBpm);
  const pad = 86_400 * 2;
  const top = Math.max(50, ...rises, ...threshold) + 5;
  const plot = new uPlot(
    {
      width: host.clientWidth || 320,
      height: 200,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 8 } },
      scales: {
        x: { time: true, range: () => [(x[0] ?? 0) - pad, (x[x.length - 1] ?? 0) + pad] },
        y: { range: () => [Math.min(0, ...rises) - 5, top] },
      },
      axes: [
        { ...axisStyle(theme), space: 64, values: (_u, splits) => splits.map((s) => dayFormat.format(s * 1000)) },
        { ...axisStyle(theme), size: 48, label: 'bpm rise' },
      ],
      series: [
        {},
        { label: 'Sustained rise', stroke: theme.a, width: 2, points: { show: true, size: 9, fill: theme.a } },
        { label: 'Threshold', stroke: theme.warn, width: 1.5, dash: [6, 4], points: { show: false } },
      ],
    },
    [x, rises, threshold],
    host,
  );
  return { resize: (width) => plot.setSize({ width, height: 200 }), destroy: () => plot.destroy() };
}
