import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckIn } from '../../src/shared/checkin';
import {
  CHECK_IN_TABLE,
  type ExportDoc,
  GAP_TABLE,
  MEASUREMENT_TABLE,
  MESSAGE_TABLE,
  SYMPTOM_RATING_TABLE,
  sortDocuments,
  TREATMENT_TABLE,
  tableCsv,
} from '../../src/shared/export/documents';
import { HEART_RATE_COLUMNS, heartRateLines, INTERVAL_COLUMNS, intervalLines, minuteSamples } from '../../src/shared/export/samples';
import type { Measurement } from '../../src/shared/measurement';
import { appendToChunk, emptyChunk, type SampleChunk } from '../../src/shared/samples';
import { parseCsv } from '../helpers/export-csv';

const T0 = Date.UTC(2026, 10, 30, 7, 15); // 2026-11-30T07:15:00Z

function chunk(
  sourceId: string,
  samples: [offsetMs: number, bpm: number, contact: boolean | null, intervals: number[]][],
  kind: 'rr' | 'ppi' = 'rr',
  demo = false,
): SampleChunk {
  const c = emptyChunk(sourceId, demo, kind, T0);
  appendToChunk(
    c,
    samples.map(([offset, bpm, contact, intervalsMs]) => ({ t: T0 + offset, bpm, contact, intervalsMs })),
  );
  return c;
}

const checkIn = (date: string, period: 'morning' | 'evening', extra: Partial<CheckIn> = {}): CheckIn => ({
  date,
  period,
  fatigue: 2,
  brainFog: null,
  pain: 0,
  sleepQuality: 3,
  orthostatic: 1,
  mood: 2,
  symptoms: {},
  physicalExertion: null,
  cognitiveExertion: null,
  emotionalExertion: null,
  sleepMinutes: null,
  crash: false,
  unwell: false,
  periodDay: false,
  note: '',
  savedAt: Date.UTC(2026, 10, 30, 8),
  ...extra,
});

const measurement: Measurement = {
  date: '2026-11-30',
  rmssd: 15.55,
  lnRmssd: Math.log(15.55),
  sdnn: 8.54,
  restingHr: 74.5,
  beats: 120,
  correctedShare: 0.025,
  durationS: 120,
  source: { id: 'dev-1', name: 'Polar H10, "chest"', intervalKind: 'rr', demo: false },
  takenAt: Date.UTC(2026, 10, 30, 6, 30),
};

const doc = (kind: ExportDoc['kind'], id: string, body: Record<string, unknown>): ExportDoc => ({
  kind,
  id,
  body,
  updatedAt: Date.UTC(2026, 10, 30, 9),
});

describe('heart-rate and interval rows', () => {
  it('writes one heart-rate row per sample and one interval row per interval, merging sources in time order', () => {
    const samples = minuteSamples([
      chunk('b-strap', [
        [0, 61, true, [990, 985]],
        [2_000, 62, false, []],
      ]),
      chunk('a-sense', [[1_000, 70, null, [850]]], 'ppi', true),
    ]);
    expect(samples.map((s) => [s.t - T0, s.sourceId])).toEqual([
      [0, 'b-strap'],
      [1_000, 'a-sense'],
      [2_000, 'b-strap'],
    ]);
    expect(parseCsv(heartRateLines(samples))).toEqual([
      ['2026-11-30T07:15:00.000Z', String(T0), 'b-strap', '0', '61', '1', '2'],
      ['2026-11-30T07:15:01.000Z', String(T0 + 1000), 'a-sense', '1', '70', '', '1'],
      ['2026-11-30T07:15:02.000Z', String(T0 + 2000), 'b-strap', '0', '62', '0', '0'],
    ]);
    expect(parseCsv(intervalLines(samples))).toEqual([
      ['2026-11-30T07:15:00.000Z', String(T0), 'b-strap', '0', 'rr', '0', '990'],
      ['2026-11-30T07:15:00.000Z', String(T0), 'b-strap', '0', 'rr', '1', '985'],
      ['2026-11-30T07:15:01.000Z', String(T0 + 1000), 'a-sense', '1', 'ppi', '0', '850'],
    ]);
  });

  it('writes nothing for an empty minute', () => {
    expect(heartRateLines(minuteSamples([]))).toBe('');
    expect(intervalLines(minuteSamples([chunk('x', [[0, 60, true, []]])]))).toBe('');
  });

  it('guards a source id that looks like a formula', () => {
    expect(heartRateLines(minuteSamples([chunk('=evil()', [[0, 60, true, []]])]))).toContain(",'=evil(),");
  });
});

describe('document tables', () => {
  it('sorts check-ins by date and period and writes every rating, with an empty cell for an unanswered one', () => {
    const sorted = sortDocuments([
      doc('checkin', '2026-11-30-evening', {
        ...checkIn('2026-11-30', 'evening', { crash: true, note: 'Overdid it, "badly"\nslept at 4' }),
      }),
      doc('checkin', '2026-11-29-morning', { ...checkIn('2026-11-29', 'morning') }),
      doc('checkin', '2026-11-30-morning', { ...checkIn('2026-11-30', 'morning', { note: '-tired' }) }),
    ]);
    const rows = parseCsv(tableCsv(CHECK_IN_TABLE, sorted.checkIns));
    expect(rows[0]).toEqual([
      'date',
      'period',
      'fatigue',
      'brain_fog',
      'pain',
      'sleep_quality',
      'orthostatic',
      'mood',
      'crash',
      'note',
      'saved_at_iso',
      'saved_at_ms',
      'unwell',
      'period_day',
      'sleep_minutes',
      'physical_exertion',
      'cognitive_exertion',
      'emotional_exertion',
    ]);
    expect(rows.slice(1).map((r) => `${r[0]} ${r[1]}`)).toEqual(['2026-11-29 morning', '2026-11-30 morning', '2026-11-30 evening']);
    expect(rows[1]).toEqual([
      '2026-11-29',
      'morning',
      '2',
      '',
      '0',
      '3',
      '1',
      '2',
      '0',
      '',
      '2026-11-30T08:00:00.000Z',
      String(Date.UTC(2026, 10, 30, 8)),
      '0',
      '0',
      '',
      '',
      '',
      '',
    ]);
    expect(rows[2]?.[9]).toBe("'-tired");
    expect(rows[3]?.[8]).toBe('1');
    expect(rows[3]?.[9]).toBe('Overdid it, "badly"\nslept at 4');
  });

  it('writes measurements with their source', () => {
    const rows = parseCsv(tableCsv(MEASUREMENT_TABLE, sortDocuments([doc('measurement', '2026-11-30', { ...measurement })]).measurements));
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(MEASUREMENT_TABLE.columns.map((c, i) => [c.name, rows[1]?.[i]]));
    expect(row).toEqual({
      date: '2026-11-30',
      taken_at_iso: '2026-11-30T06:30:00.000Z',
      taken_at_ms: String(measurement.takenAt),
      rmssd_ms: '15.55',
      ln_rmssd: String(Math.log(15.55)),
      sdnn_ms: '8.54',
      resting_hr_bpm: '74.5',
      beats: '120',
      corrected_share: '0.025',
      duration_s: '120',
      source_id: 'dev-1',
      source_name: 'Polar H10, "chest"',
      interval_kind: 'rr',
      demo: '0',
    });
  });

  it('folds read state into messages, oldest first', () => {
    const sorted = sortDocuments([
      doc('message', 'm2', { text: 'Second', from: 'Clinic', createdAt: '2026-11-30T10:00:00.000Z' }),
      doc('message', 'm1', { text: '@you first', from: 'Steady', createdAt: '2026-11-29T10:00:00.000Z' }),
      doc('message-read', 'm1', { readAt: '2026-11-29T11:00:00.000Z' }),
    ]);
    expect(parseCsv(tableCsv(MESSAGE_TABLE, sorted.messages))).toEqual([
      ['id', 'created_at', 'from', 'text', 'read_at'],
      ['m1', '2026-11-29T10:00:00.000Z', 'Steady', "'@you first", '2026-11-29T11:00:00.000Z'],
      ['m2', '2026-11-30T10:00:00.000Z', 'Clinic', 'Second', ''],
    ]);
  });

  it('keeps documents it cannot read, with the reason, instead of dropping them', () => {
    const sorted = sortDocuments([
      doc('checkin', '2026-11-30-morning', { date: '2026-11-30', period: 'morning', fatigue: 9, savedAt: 1 }),
      doc('measurement', '2026-11-30', { date: '2026-11-30' }),
      doc('settings', 'pacing', { thresholdBpm: 105 }),
    ]);
    expect(sorted.checkIns).toEqual([]);
    expect(sorted.unreadable.map((u) => [u.kind, u.id])).toEqual([
      ['checkin', '2026-11-30-morning'],
      ['measurement', '2026-11-30'],
    ]);
    expect(sorted.unreadable[0]?.reason).toMatch(/fatigue/);
    expect(sorted.settings).toEqual([{ id: 'pacing', updatedAt: '2026-11-30T09:00:00.000Z', body: { thresholdBpm: 105 } }]);
  });

  it('writes treatments and events, an event with its day as start and stop', () => {
    const { treatments } = sortDocuments([
      {
        kind: 'treatment',
        id: 'a',
        updatedAt: 1,
        body: {
          type: 'treatment',
          category: 'supplement',
          name: 'Magnesium',
          dose: '',
          start: '2026-11-01',
          stop: '2026-11-20',
          savedAt: T0,
        },
      },
      {
        kind: 'treatment',
        id: 'b',
        updatedAt: 1,
        body: { type: 'event', category: 'travel', name: 'Lisbon, by train', date: '2026-11-25', savedAt: T0 },
      },
    ]);
    const rows = parseCsv(tableCsv(TREATMENT_TABLE, treatments));
    expect(rows.slice(1)).toEqual([
      ['b', 'event', 'travel', 'Lisbon, by train', '', '2026-11-25', '2026-11-25', '', '2026-11-30T07:15:00.000Z'],
      ['a', 'treatment', 'supplement', 'Magnesium', '', '2026-11-01', '2026-11-20', '', '2026-11-30T07:15:00.000Z'],
    ]);
  });

  it('writes gaps, an open one with empty end cells', () => {
    const rows = parseCsv(
      tableCsv(GAP_TABLE, [
        { id: 'x|1', sourceId: 'x', start: T0, end: T0 + 5000, reason: 'disconnected' },
        { id: 'x|2', sourceId: 'x', start: T0 + 9000, end: null, reason: 'page-closed' },
      ]),
    );
    expect(rows.slice(1)).toEqual([
      ['x', '2026-11-30T07:15:00.000Z', String(T0), '2026-11-30T07:15:05.000Z', String(T0 + 5000), 'disconnected'],
      ['x', '2026-11-30T07:15:09.000Z', String(T0 + 9000), '', '', 'page-closed'],
    ]);
  });

  it('writes a header line and nothing else for an empty table', () => {
    expect(tableCsv(CHECK_IN_TABLE, [])).toBe(`${CHECK_IN_TABLE.columns.map((c) => c.name).join(',')}\r\n`);
    expect(sortDocuments([])).toMatchObject({
      checkIns: [],
      symptomRatings: [],
      measurements: [],
      standTests: [],
      messages: [],
      settings: [],
      treatments: [],
      unreadable: [],
    });
  });
});

describe('docs/export-format.md', () => {
  const text = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/export-format.md'), 'utf8');
  it.each([
    ['heart-rate', HEART_RATE_COLUMNS],
    ['intervals', INTERVAL_COLUMNS],
    ['check-ins', CHECK_IN_TABLE.columns],
    ['symptom-ratings', SYMPTOM_RATING_TABLE.columns],
    ['measurements', MEASUREMENT_TABLE.columns],
    ['messages', MESSAGE_TABLE.columns],
    ['treatments', TREATMENT_TABLE.columns],
    ['gaps', GAP_TABLE.columns],
  ])('documents every column of %s, in order', (table, columns) => {
    const section = text.split(/^### /m).find((s) => s.startsWith(`${table}.csv`) || s.startsWith(`\`steady-${table}`));
    expect(section, `a "### ${table}.csv" section`).toBeDefined();
    const documented = [...(section ?? '').matchAll(/^\| `([a-z_]+)` *\|/gm)].map((m) => m[1]);
    expect(documented).toEqual(columns.map((c) => c.name));
  });
});
