import { describe, expect, it } from 'vitest';
import { type ExportDoc, sortDocuments } from '../../src/shared/export/documents';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportHead,
  jsonClosing,
  jsonOpening,
  jsonSamples,
  type SteadyExportV1,
} from '../../src/shared/export/json';
import { exportFileName } from '../../src/shared/export/protocol';
import { type ExportSample, minuteSamples } from '../../src/shared/export/samples';
import { appendToChunk, emptyChunk } from '../../src/shared/samples';

const T0 = Date.UTC(2026, 10, 30, 7, 15);

function head(docs: ExportDoc[] = []): ExportHead {
  return {
    exportedAt: Date.UTC(2026, 10, 30, 9, 12),
    appVersion: '9.9.9',
    account: { accountId: 'acc', deviceId: 'dev' },
    armbands: [{ id: 'strap', name: 'Polar H10 "A"', pairedAt: '2026-11-01T00:00:00.000Z', lastConnectedAt: null }],
    documents: sortDocuments(docs),
    gaps: [{ id: 'strap|1', sourceId: 'strap', start: T0 - 5000, end: null, reason: 'page-closed' }],
  };
}

/** Writes a document the way the worker does: opening, the samples in slices, closing. */
function write(h: ExportHead, slices: ExportSample[][]): string {
  let text = jsonOpening(h);
  let written = 0;
  let intervals = 0;
  for (const slice of slices) {
    text += jsonSamples(slice, written === 0);
    written += slice.length;
    for (const s of slice) intervals += s.intervalsMs.length;
  }
  const d = h.documents;
  return (
    text +
    jsonClosing(
      {
        heartRateSamples: written,
        intervals,
        checkIns: d.checkIns.length,
        measurements: d.measurements.length,
        standTests: d.standTests.length,
        messages: d.messages.length,
        treatments: d.treatments.length,
        gaps: h.gaps.length,
      },
      written > 0,
    )
  );
}

function minute(minuteStart: number, samples: [number, number, number[]][]): ExportSample[] {
  const chunk = emptyChunk('strap', false, 'rr', minuteStart);
  appendToChunk(
    chunk,
    samples.map(([offset, bpm, intervalsMs]) => ({ t: minuteStart + offset, bpm, contact: true, intervalsMs })),
  );
  return minuteSamples([chunk]);
}

describe('the JSON export', () => {
  it('is one valid, versioned document when written in slices', () => {
    const docs: ExportDoc[] = [
      {
        kind: 'checkin',
        id: '2026-11-30-morning',
        updatedAt: 1,
        body: { date: '2026-11-30', period: 'morning', fatigue: 1, crash: true, note: 'a "quoted"\nnote', savedAt: 5 },
      },
      { kind: 'message', id: 'm1', updatedAt: 1, body: { text: 'hi', from: 'Clinic', createdAt: '2026-11-29T10:00:00.000Z' } },
      { kind: 'settings', id: 'pacing', updatedAt: 0, body: { thresholdBpm: 100 } },
      {
        kind: 'treatment',
        id: 't1',
        updatedAt: 2,
        body: { type: 'treatment', category: 'medication', name: 'LDN', dose: '1 mg', start: '2026-11-02', stop: null, savedAt: 9 },
      },
    ];
    const slices = [
      minute(T0, [
        [0, 61, [990, 985]],
        [1000, 62, []],
      ]),
      [],
      minute(T0 + 60_000, [[500, 63, [950]]]),
    ];
    const parsed = JSON.parse(write(head(docs), slices)) as SteadyExportV1;
    expect(Object.keys(parsed)).toEqual([
      'format',
      'version',
      'exportedAt',
      'appVersion',
      'account',
      'armbands',
      'checkIns',
      'symptoms',
      'measurements',
      'standTests',
      'messages',
      'settings',
      'treatments',
      'unreadableDocuments',
      'gaps',
      'heartRate',
      'counts',
    ]);
    expect(parsed).toMatchObject({
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: '2026-11-30T09:12:00.000Z',
      appVersion: '9.9.9',
    });
    expect(parsed.format).toBe('steady-export');
    expect(parsed.version).toBe(1);
    expect(parsed.account).toEqual({ accountId: 'acc', deviceId: 'dev' });
    expect(parsed.armbands[0]?.name).toBe('Polar H10 "A"');
    expect(parsed.checkIns).toEqual([
      {
        date: '2026-11-30',
        period: 'morning',
        fatigue: 1,
        brainFog: null,
        pain: null,
        sleepQuality: null,
        orthostatic: null,
        mood: null,
        symptoms: {},
        physicalExertion: null,
        cognitiveExertion: null,
        emotionalExertion: null,
        sleepMinutes: null,
        crash: true,
        unwell: false,
        periodDay: false,
        note: 'a "quoted"\nnote',
        savedAt: 5,
      },
    ]);
    expect(parsed.messages).toEqual([{ id: 'm1', createdAt: '2026-11-29T10:00:00.000Z', from: 'Clinic', text: 'hi', readAt: null }]);
    expect(parsed.settings).toEqual([{ id: 'pacing', updatedAt: '1970-01-01T00:00:00.000Z', body: { thresholdBpm: 100 } }]);
    expect(parsed.treatments).toEqual([
      {
        id: 't1',
        type: 'treatment',
        category: 'medication',
        name: 'LDN',
        dose: '1 mg',
        start: '2026-11-02',
        stop: null,
        note: '',
        savedAt: 9,
      },
    ]);
    expect(parsed.gaps).toEqual([
      {
        id: 'strap|1',
        sourceId: 'strap',
        start: T0 - 5000,
        end: null,
        reason: 'page-closed',
        startIso: '2026-11-30T07:14:55.000Z',
        endIso: null,
      },
    ]);
    expect(parsed.heartRate).toEqual([
      {
        time: '2026-11-30T07:15:00.000Z',
        timeMs: T0,
        sourceId: 'strap',
        demo: false,
        bpm: 61,
        contact: true,
        intervalKind: 'rr',
        intervalsMs: [990, 985],
      },
      {
        time: '2026-11-30T07:15:01.000Z',
        timeMs: T0 + 1000,
        sourceId: 'strap',
        demo: false,
        bpm: 62,
        contact: true,
        intervalKind: 'rr',
        intervalsMs: [],
      },
      {
        time: '2026-11-30T07:16:00.500Z',
        timeMs: T0 + 60_500,
        sourceId: 'strap',
        demo: false,
        bpm: 63,
        contact: true,
        intervalKind: 'rr',
        intervalsMs: [950],
      },
    ]);
    expect(parsed.counts).toEqual({
      heartRateSamples: 3,
      intervals: 3,
      checkIns: 1,
      measurements: 0,
      standTests: 0,
      messages: 1,
      treatments: 1,
      gaps: 1,
    });
  });

  it('is valid with no data at all', () => {
    const empty: ExportHead = { ...head(), account: null, armbands: [], gaps: [] };
    const parsed = JSON.parse(write(empty, [])) as SteadyExportV1;
    expect(parsed).toMatchObject({
      format: 'steady-export',
      version: 1,
      account: null,
      armbands: [],
      checkIns: [],
      measurements: [],
      messages: [],
      settings: [],
      treatments: [],
      unreadableDocuments: [],
      gaps: [],
      heartRate: [],
      counts: { heartRateSamples: 0, intervals: 0, checkIns: 0, measurements: 0, standTests: 0, messages: 0, treatments: 0, gaps: 0 },
    });
  });

  it('is valid when the first slice is empty and samples come later', () => {
    const parsed = JSON.parse(write(head(), [[], minute(T0, [[0, 70, []]])])) as SteadyExportV1;
    expect(parsed.heartRate.map((s) => s.bpm)).toEqual([70]);
  });

  it('writes one sample per line, so a large file stays readable in a text editor', () => {
    const text = write(head(), [
      minute(T0, [
        [0, 61, []],
        [1000, 62, []],
      ]),
    ]);
    expect(text.split('\n').filter((line) => line.includes('"bpm"'))).toHaveLength(2);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('exportFileName', () => {
  it('names files by table and local date', () => {
    const now = new Date(2026, 10, 3, 23, 30).getTime(); // local time
    expect(exportFileName('heart-rate', now, 'csv')).toBe('steady-heart-rate-2026-11-03.csv');
    expect(exportFileName('export', now, 'json')).toBe('steady-export-2026-11-03.json');
  });
});
