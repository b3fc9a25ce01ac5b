/**
 * Daily charts as drawing operations (src/shared/report/drawing.ts): one slot per day along x,
 * the same rows Trends charts. Black-and-white first: zones are an open box (rest), hatching
 * (activity) and solid black (above threshold); a limit is a dashed line; lines carry markers so
 * a lone day still shows; crash days are a cross under the axis.
 */
import type { DayRow } from '../trends/day-rows';
import type { SeriesDef } from '../trends/series';
import { type DrawOp, hatchLines, type TextMetrics } from './drawing';
import { reportDay, zoneMinutesOf } from './figures';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const AXIS_SIZE = 7;
/** Room left of the plot for the y labels. */
export const Y_LABEL_ROOM = 30;
/** Room below the plot for crash marks and day labels. */
export const X_LABEL_ROOM = 20;

/** The smallest multiple of `step` at or above `value` (at least `step`): the top of a y axis. */
export function axisTop(value: number, step: number): number {
  return Math.max(step, Math.ceil(value / step) * step);
}

/** The x centre and width of day `i` of `count` in the plot. */
function slot(plot: Box, i: number, count: number): { cx: number; w: number } {
  const w = plot.w / count;
  return { cx: plot.x + w * (i + 0.5), w };
}

/** The plot area of a chart box, once its labels have room. */
export function plotOf(box: Box): Box {
  return { x: box.x + Y_LABEL_ROOM, y: box.y, w: box.w - Y_LABEL_ROOM, h: box.h - X_LABEL_ROOM };
}

/** Frame, y ticks with labels, day labels (first, middle, last) and crash crosses. */
function frame(rows: readonly DayRow[], box: Box, ticks: { value: number; label: string }[], top: number, metrics: TextMetrics): DrawOp[] {
  const plot = plotOf(box);
  const ops: DrawOp[] = [];
  const yOf = (v: number) => plot.y + plot.h - (v / top) * plot.h;
  for (const tick of ticks) {
    const y = yOf(tick.value);
    ops.push({ op: 'line', x1: plot.x, y1: y, x2: plot.x + plot.w, y2: y, width: 0.25, tone: 'light', dash: null });
    const width = metrics.width(tick.label, AXIS_SIZE, false);
    ops.push({ op: 'text', x: plot.x - 3 - width, y: y + AXIS_SIZE / 3, size: AXIS_SIZE, bold: false, text: tick.label });
  }
  ops.push({
    op: 'line',
    x1: plot.x,
    y1: plot.y + plot.h,
    x2: plot.x + plot.w,
    y2: plot.y + plot.h,
    width: 0.75,
    tone: 'black',
    dash: null,
  });
  const labelled = [...new Set([0, Math.floor((rows.length - 1) / 2), rows.length - 1])];
  for (const i of labelled) {
    const label = reportDay(rows[i]!.date);
    const { cx } = slot(plot, i, rows.length);
    const width = metrics.width(label, AXIS_SIZE, false);
    const x = Math.min(Math.max(cx - width / 2, plot.x), plot.x + plot.w - width);
    ops.push({ op: 'text', x, y: plot.y + plot.h + X_LABEL_ROOM - 2, size: AXIS_SIZE, bold: false, text: label });
  }
  rows.forEach((row, i) => {
    if (!row.crash) return;
    const { cx } = slot(plot, i, rows.length);
    const y = plot.y + plot.h + 6;
    const r = 2.5;
    ops.push({ op: 'line', x1: cx - r, y1: y - r, x2: cx + r, y2: y + r, width: 0.9, tone: 'black', dash: null });
    ops.push({ op: 'line', x1: cx - r, y1: y + r, x2: cx + r, y2: y - r, width: 0.9, tone: 'black', dash: null });
  });
  return ops;
}

/** Stacked bars of hours per zone each day: rest open, activity hatched, above threshold black. */
export function zoneBarsChart(rows: readonly DayRow[], box: Box, metrics: TextMetrics): DrawOp[] {
  const plot = plotOf(box);
  const hours = rows.map((r) => {
    const z = zoneMinutesOf(r);
    return z ? (z.rest + z.activity + z.exertion) / 60 : 0;
  });
  const top = axisTop(Math.max(0, ...hours), 4);
  const ticks = [0, top / 2, top].map((value) => ({ value, label: `${value} h` }));
  const ops = frame(rows, box, ticks, top, metrics);
  const scale = plot.h / (top * 60);
  rows.forEach((row, i) => {
    const zones = zoneMinutesOf(row);
    if (!zones) return;
    const { cx, w } = slot(plot, i, rows.length);
    const bw = Math.max(1, w * 0.7);
    let base = plot.y + plot.h;
    const stack = (minutes: number, style: 'open' | 'hatch' | 'solid') => {
      const h = minutes * scale;
      if (h <= 0) return;
      const y = base - h;
      const x = cx - bw / 2;
      if (style === 'solid') ops.push({ op: 'rect', x, y, w: bw, h, fill: 'black', stroke: null });
      else ops.push({ op: 'rect', x, y, w: bw, h, fill: 'white', stroke: 'black' });
      if (style === 'hatch') ops.push(...hatchLines(x, y, bw, h, 2.5));
      base = y;
    };
    stack(zones.exertion, 'solid');
    stack(zones.activity, 'hatch');
    stack(zones.rest, 'open');
  });
  return ops;
}

/** Pace points per day as grey bars, the daily limit as a dashed line. */
export function pointsChart(rows: readonly DayRow[], limit: number, box: Box, metrics: TextMetrics): DrawOp[] {
  const plot = plotOf(box);
  const top = axisTop(Math.max(limit, ...rows.map((r) => r.pacePoints ?? 0)), 50);
  const ticks = [0, top / 2, top].map((value) => ({ value, label: String(value) }));
  const ops = frame(rows, box, ticks, top, metrics);
  rows.forEach((row, i) => {
    if (row.pacePoints === null) return;
    const { cx, w } = slot(plot, i, rows.length);
    const h = (row.pacePoints / top) * plot.h;
    const bw = Math.max(1, w * 0.7);
    ops.push({
      op: 'rect',
      x: cx - bw / 2,
      y: plot.y + plot.h - h,
      w: bw,
      h,
      fill: row.pacePoints > limit ? 'black' : 'light',
      stroke: 'black',
    });
  });
  const y = plot.y + plot.h - (limit / top) * plot.h;
  ops.push({ op: 'line', x1: plot.x, y1: y, x2: plot.x + plot.w, y2: y, width: 1, tone: 'black', dash: [4, 2] });
  return ops;
}

/**
 * A daily series as a line broken where a day has no value, with a dot on every value. The y axis
 * is the series' fixed range when it has one, else from a little under the lowest value to a
 * little over the highest, so a change of a few ms is neither hidden nor exaggerated.
 */
export function lineChart(
  rows: readonly DayRow[],
  series: SeriesDef,
  box: Box,
  metrics: TextMetrics,
  dash: number[] | null = null,
): DrawOp[] {
  const plot = plotOf(box);
  const values = rows.map((r) => series.value(r));
  const present = values.filter((v): v is number => v !== null);
  const [low, high] = series.range ?? [
    Math.floor((Math.min(...present, Infinity) * 0.9) / 5) * 5,
    axisTop(Math.max(...present, -Infinity) * 1.1, 5),
  ];
  const [bottom, top] = present.length || series.range ? [low, high] : [0, 1];
  const span = top - bottom || 1;
  const ticks = [bottom, (bottom + top) / 2, top].map((value) => ({ value: value - bottom, label: `${+value.toFixed(1)}` }));
  const ops = frame(rows, box, ticks, span, metrics);
  const yOf = (v: number) => plot.y + plot.h - ((v - bottom) / span) * plot.h;
  let run: [number, number][] = [];
  const flush = () => {
    if (run.length > 1) ops.push({ op: 'path', points: run, width: 1, dash });
    run = [];
  };
  values.forEach((v, i) => {
    if (v === null) flush();
    else run.push([slot(plot, i, rows.length).cx, yOf(v)]);
  });
  flush();
  values.forEach((v, i) => {
    if (v === null) return;
    ops.push({ op: 'circle', x: slot(plot, i, rows.length).cx, y: yOf(v), r: 1.4, fill: 'black' });
  });
  return ops;
}
