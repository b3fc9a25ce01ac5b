import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Reads PDFs back with Debian's poppler-utils (pdftotext, pdfinfo, pdftoppm): a mature reader
 * written apart from the library that wrote them, run on the real file. `.ci/run` installs it;
 * without it these throw, so a test fails loudly instead of skipping.
 */
function poppler(tool: 'pdftotext' | 'pdfinfo' | 'pdftoppm', args: string[]): string {
  const binary = `/usr/bin/${tool}`;
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: install Debian's poppler-utils (apt-get install poppler-utils)`);
  return execFileSync(binary, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The text of pages `first`..`last` in content-stream order (-raw): each drawn string as it was drawn. */
export function pdfText(file: string, first: number, last = first): string {
  return poppler('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', String(first), '-l', String(last), file, '-']);
}

/** pdfinfo's fields (Title, Pages, Page size, Tagged, …). */
export function pdfInfo(file: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of poppler('pdfinfo', [file]).split('\n')) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match) info[match[1]!] = match[2]!;
  }
  return info;
}

/** Renders page one to `pngPath` at `dpi`. */
export function renderFirstPage(file: string, pngPath: string, dpi = 110): void {
  poppler('pdftoppm', ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', file, pngPath.replace(/\.png$/, '')]);
}
