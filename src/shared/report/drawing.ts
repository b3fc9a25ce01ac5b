/**
 * A page as a list of drawing operations, in points with the origin at the top left (y down):
 * what the layout produces, what the PDF writer (src/workers/report-pdf.ts) draws with pdf-lib,
 * and what the report screen shows as its preview (the same list, as SVG). Only shades of grey:
 * every distinction that matters is also a pattern, a line style or a marker, so a black-and-white
 * print reads like the screen.
 */

/** Black, two greys and white, as fractions of white. */
export const TONES = { black: 0, dark: 0.35, light: 0.8, white: 1 } as const;
export type Tone = keyof typeof TONES;

export type DrawOp =
  /** `y` is the baseline. */
  | { op: 'text'; x: number; y: number; size: number; bold: boolean; text: string }
  | { op: 'line'; x1: number; y1: number; x2: number; y2: number; width: number; tone: Tone; dash: number[] | null }
  | { op: 'rect'; x: number; y: number; w: number; h: number; fill: Tone | null; stroke: Tone | null }
  | { op: 'path'; points: [number, number][]; width: number; dash: number[] | null }
  | { op: 'circle'; x: number; y: number; r: number; fill: Tone };

export interface PageDrawing {
  width: number;
  height: number;
  ops: DrawOp[];
}

/** Widths of text in the report's fonts (Helvetica and Helvetica-Bold in the PDF). */
export interface TextMetrics {
  width(text: string, size: number, bold: boolean): number;
}

/**
 * Diagonal hatching (45°, rising to the right) inside a rectangle, as line segments clipped to it:
 * pdf-lib draws no pattern fills, so a pattern is drawn as lines. `spacing` is measured along x.
 */
export function hatchLines(x: number, y: number, w: number, h: number, spacing: number): DrawOp[] {
  const out: DrawOp[] = [];
  if (w <= 0 || h <= 0) return out;
  // Lines x' - (bottom - y') = c for c from x - h to x + w, i.e. x' = c + (bottom - y').
  const bottom = y + h;
  for (let c = x - h + spacing / 2; c < x + w; c += spacing) {
    // Where the line x' = c + (bottom - y') enters and leaves the box.
    const yAtLeft = bottom - (x - c);
    const yAtRight = bottom - (x + w - c);
    const start: [number, number] = c >= x ? [c, bottom] : [x, yAtLeft];
    const end: [number, number] = yAtRight >= y ? [x + w, yAtRight] : [c + h, y];
    out.push({ op: 'line', x1: start[0], y1: start[1], x2: end[0], y2: end[1], width: 0.5, tone: 'black', dash: null });
  }
  return out;
}

/** Splits text into lines no wider than `maxWidth` at spaces (a word longer than the line is cut). */
export function wrapText(text: string, maxWidth: number, size: number, bold: boolean, metrics: TextMetrics): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (metrics.width(candidate, size, bold) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = word;
      while (metrics.width(line, size, bold) > maxWidth && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && metrics.width(line.slice(0, cut), size, bold) > maxWidth) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Text the report's fonts can write: the PDF standard fonts encode WinAnsi (Latin-1 and a few
 * more), so any other character (an emoji, a CJK note) becomes "?" rather than failing the whole
 * report; tabs become spaces and other control characters are dropped.
 */
export function encodableText(text: string, charset: ReadonlySet<number>): string {
  let out = '';
  for (const char of text.replace(/\t/g, ' ')) {
    const code = char.codePointAt(0)!;
    if (char === '\n') out += char;
    else if (code < 0x20 || code === 0x7f) continue;
    else out += charset.has(code) ? char : '?';
  }
  return out;
}
