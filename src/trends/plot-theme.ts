/** Chart colours from app.css custom properties, so light and dark both work (read when a chart is drawn). */
export interface PlotTheme {
  a: string;
  b: string;
  grid: string;
  text: string;
  warn: string;
}

export function plotTheme(host: HTMLElement): PlotTheme {
  const style = getComputedStyle(host);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    a: read('--accent', '#1f6f66'),
    b: read('--focus', '#0b57d0'),
    grid: read('--border', '#d5dfdc'),
    text: read('--muted', '#4f5f5c'),
    warn: read('--warn', '#8a4b00'),
  };
}

/** Axis styling shared by every trends chart. */
export const axisStyle = (theme: PlotTheme) => ({
  stroke: theme.text,
  grid: { stroke: theme.grid, width: 1 },
  ticks: { stroke: theme.grid, width: 1 },
});
