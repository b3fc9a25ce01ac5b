import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvLine } from '../../src/shared/export/csv';
import { parseCsv } from '../helpers/export-csv';

describe('csvCell (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rlf', '"cr\rlf"'],
    ['crlf\r\n', '"crlf\r\n"'],
    ['naïve café 😀', 'naïve café 😀'],
    ['  spaced  ', '  spaced  '],
  ])('writes %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tTab', "'\tTab"],
    ['\rCR', `"'\rCR"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['=1,2', `"'=1,2"`],
  ])('guards text that a spreadsheet would run as a formula: %j → %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('leaves text with a formula character later on alone', () => {
    expect(csvCell('a=b+c-d@e')).toBe('a=b+c-d@e');
  });

  it('writes numbers as numbers, negative ones unguarded', () => {
    expect(csvCell(72)).toBe('72');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(1764486902250)).toBe('1764486902250');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('writes booleans as 1 and 0, null and undefined as an empty cell', () => {
    expect(csvCell(true)).toBe('1');
    expect(csvCell(false)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('csvLine', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvLine(['a', 1, null, true, 'x,y'])).toBe('a,1,,1,"x,y"\r\n');
    expect(csvLine([])).toBe('\r\n');
  });

  it('writes a header from column names', () => {
    expect(csvHeader([{ name: 'time_iso' }, { name: 'bpm' }])).toBe('time_iso,bpm\r\n');
  });

  it('round-trips through a strict RFC 4180 reader', () => {
    const values = ['a', 'b,c', 'd"e', 'f\r\ng', '', '=x'];
    expect(parseCsv(csvLine(values))).toEqual([['a', 'b,c', 'd"e', 'f\r\ng', '', "'=x"]]);
  });
});
