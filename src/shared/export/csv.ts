/**
 * CSV cells and lines per RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): CRLF line ends,
 * a field quoted when it holds a comma, a double quote, CR or LF, with its quotes doubled.
 */

/** What one cell may hold. null and undefined are an empty cell; booleans are 1 and 0. */
export type CsvValue = string | number | boolean | null | undefined;

export const CSV_LINE_END = '\r\n';

/**
 * Text that a spreadsheet would run as a formula when the file is opened ("CSV injection",
 * https://owasp.org/www-community/attacks/CSV_Injection): a leading =, +, -, @, tab or CR.
 * Only free text (notes, messages, names) is guarded; numbers are written as numbers, so a
 * negative number is never altered.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell. Text that starts like a formula gets a leading apostrophe, which spreadsheets show as text. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',') + CSV_LINE_END;
}

/** The header line of a table. */
export function csvHeader(columns: readonly { name: string }[]): string {
  return csvLine(columns.map((column) => column.name));
}

/**
 * A UTF-8 byte-order mark, written once at the start of every CSV file: without it Excel on
 * Windows reads the file as the local code page and garbles any non-ASCII note or name.
 */
export const CSV_BOM = '\uFEFF';
