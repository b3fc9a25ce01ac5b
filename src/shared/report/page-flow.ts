/**
 * Text and blocks placed down a page, onto a new page when the next would not fit: the report's
 * only typesetting. Each page gets its running footer once the page count is known.
 */
import { type DrawOp, type PageDrawing, type TextMetrics, wrapText } from './drawing';

export const MARGIN = 40;
const FOOTER_ROOM = 24;
const LEADING = 1.3;

export interface Column {
  label: string;
  width: number;
  align?: 'left' | 'right';
}

export class PageFlow {
  readonly pages: PageDrawing[] = [];
  /** The top of the free space on the current page. */
  y = MARGIN;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly metrics: TextMetrics,
    /** Printed at the top of every page after the first. */
    private readonly runningHead: string,
  ) {
    this.pages.push({ width, height, ops: [] });
  }

  get contentWidth(): number {
    return this.width - 2 * MARGIN;
  }

  get ops(): DrawOp[] {
    return this.pages[this.pages.length - 1]!.ops;
  }

  /** Starts a new page, with the running head. */
  newPage(): void {
    this.pages.push({ width: this.width, height: this.height, ops: [] });
    this.y = MARGIN;
    this.text(this.runningHead, 8, false);
    this.gap(6);
  }

  /** Makes room for `height` points, on a new page if this one has too little left. */
  ensure(height: number): void {
    if (this.y + height > this.height - MARGIN - FOOTER_ROOM) this.newPage();
  }

  gap(height: number): void {
    this.y += height;
  }

  /** A paragraph, wrapped to the content width (less `indent`). */
  text(text: string, size: number, bold: boolean, indent = 0): void {
    for (const line of wrapText(text, this.contentWidth - indent, size, bold, this.metrics)) {
      this.ensure(size * LEADING);
      this.y += size;
      this.ops.push({ op: 'text', x: MARGIN + indent, y: this.y, size, bold, text: line });
      this.y += size * (LEADING - 1);
    }
  }

  heading(text: string, size = 11): void {
    this.ensure(size * 3 + 40);
    this.gap(size * 0.6);
    this.text(text, size, true);
    this.gap(1);
  }

  /** A block of fixed height drawn by `draw` at (x, y) = (left margin, top of the block). */
  block(height: number, draw: (x: number, y: number) => DrawOp[]): void {
    this.ensure(height);
    this.ops.push(...draw(MARGIN, this.y));
    this.y += height;
  }

  /** A table with a bold header row, repeated when it continues on a new page. */
  table(columns: readonly Column[], rows: readonly string[][], size = 7.5): void {
    const rowHeight = size * 1.55;
    const header = () => {
      this.row(
        columns,
        columns.map((c) => c.label),
        size,
        true,
      );
      const y = this.y - rowHeight * 0.25;
      this.ops.push({ op: 'line', x1: MARGIN, y1: y, x2: MARGIN + this.contentWidth, y2: y, width: 0.5, tone: 'black', dash: null });
    };
    this.ensure(rowHeight * 2);
    header();
    for (const cells of rows) {
      if (this.y + rowHeight > this.height - MARGIN - FOOTER_ROOM) {
        this.newPage();
        header();
      }
      this.row(columns, cells, size, false);
    }
  }

  private row(columns: readonly Column[], cells: readonly string[], size: number, bold: boolean): void {
    this.y += size * 1.55 - size * 0.45;
    let x = MARGIN;
    columns.forEach((column, i) => {
      const text = cells[i] ?? '';
      const width = this.metrics.width(text, size, bold);
      this.ops.push({ op: 'text', x: column.align === 'right' ? x + column.width - 4 - width : x, y: this.y, size, bold, text });
      x += column.width;
    });
    this.y += size * 0.45;
  }

  /** Puts `footer(page, count)` at the foot of every page; call once, at the end. */
  finish(footer: (page: number, count: number) => string): PageDrawing[] {
    this.pages.forEach((page, i) => {
      page.ops.push({ op: 'text', x: MARGIN, y: this.height - MARGIN + 4, size: 7.5, bold: false, text: footer(i + 1, this.pages.length) });
    });
    return this.pages;
  }
}
