import { describe, expect, it } from 'vitest';
import {
  analyseStandTest,
  baselineOf,
  hypotensionOf,
  longestGap,
  minuteHeartRates,
  pulsePressure,
  sustainedPeak,
} from '../../src/shared/stand-test/analysis';
import { parseBpReading, parseStandTestDoc, toStandTestDoc } from '../../src/shared/stand-test/document';
import type { StandSample, StandTestRecord } from '../../src/shared/stand-test/protocol';
import { bloodPressureSentence, heartRateSentence, stopSentence } from '../../src/shared/stand-test/wording';

const T0 = 1_800_000_000_000;
const STAND_AT = T0 + 5 * 60_000;
const at = (s: number, bpm: number, intervalsMs: number[] = [], contact: boolean | null = true): StandSample => ({
  t: STAND_AT + s * 1000,
  bpm,
  contact,
  intervalsMs,
});

/**
 * Lying 5 min at 1 Hz: 70 bpm for the first 3 min, then 2 min alternating 60 / 62 bpm (mean 61)
 * carrying RR intervals alternating 1000 / 982 ms (every successive difference 18 ms: RMSSD 18).
 */
const LYING = Array.from({ length: 300 }, (_, k) => {
  const s = k - 300;
  return k < 180 ? at(s, 70) : at(s, k % 2 === 0 ? 60 : 62, [k % 2 === 0 ? 1000 : 982]);
});
/**
 * Standing 10 min at 1 Hz: minute 1 at 80, minute 2 at 90, minute 3 at 95 with a 20 s spike to
 * 130 (seconds 150–169), then 92 to the end.
 */
const standBpm = (s: number) => (s < 60 ? 80 : s < 120 ? 90 : s >= 150 && s < 170 ? 130 : s < 180 ? 95 : 92);
const STANDING = Array.from({ length: 600 }, (_, s) => at(s, standBpm(s)));

const record = (over: Partial<StandTestRecord> = {}): StandTestRecord => ({
  id: 'test-1',
  startedAt: T0,
  lyingMinutes: 5,
  position: 'lean',
  ageBand: 'adult',
  source: { id: 'strap-1', name: 'Strap', intervalKind: 'rr', demo: false },
  standAt: STAND_AT,
  endedAt: STAND_AT + 600_000,
  stop: null,
  samples: [...LYING, ...STANDING],
  bp: [],
  symptoms: [],
  ...over,
});

describe('baseline', () => {
  it('is the mean of the last 2 minutes lying, with RMSSD of their beat intervals', () => {
    const baseline = baselineOf(LYING, STAND_AT);
    expect(baseline?.hr).toBe(61);
    expect(baseline?.rmssd?.toFixed(2)).toBe('18.00');
  });

  it('has no RMSSD with heart rate only, and is null with nothing in the window', () => {
    expect(baselineOf(LYING.slice(0, 180), STAND_AT)).toBeNull();
    expect(
      baselineOf(
        LYING.map((s) => ({ ...s, intervalsMs: [] })),
        STAND_AT,
      ),
    ).toEqual({ hr: 61, rmssd: null });
  });
});

describe('standing', () => {
  it('gives the mean heart rate of each minute', () => {
    // Minute 3: 40 s at 95 and 20 s at 130 → (3800 + 2600) / 60.
    expect(minuteHeartRates(STANDING, STAND_AT, STAND_AT + 600_000).map((v) => v?.toFixed(2))).toEqual([
      '80.00',
      '90.00',
      '106.67',
      ...Array(7).fill('92.00'),
    ]);
  });

  it('takes the highest 30 s average, not the highest beat: 20 s at 130 among 95s is 118.33', () => {
    // Windows ending at 169–179 s each hold the 20 spike samples and 10 at 95: (2600 + 950) / 30; the earliest wins.
    const peak = sustainedPeak(STANDING, STAND_AT, STAND_AT + 600_000);
    expect(peak?.hr.toFixed(2)).toBe('118.33');
    expect(peak?.atS).toBe(169);
  });

  it('has no sustained peak before 30 s of standing', () => {
    expect(sustainedPeak(STANDING, STAND_AT, STAND_AT + 29_000)).toBeNull();
    expect(sustainedPeak(STANDING, STAND_AT, STAND_AT + 30_000)).toEqual({ hr: 80, atS: 30 });
  });

  it('finds the longest stretch without a usable heart rate, edges and no-contact samples included', () => {
    const samples = [at(0, 80), at(5, 80), at(6, 80, [], false), at(20, 80)];
    expect(longestGap(samples, STAND_AT, STAND_AT + 22_000)).toEqual({ start: STAND_AT + 5000, ms: 15_000 });
    expect(longestGap([], STAND_AT, STAND_AT + 40_000)).toEqual({ start: STAND_AT, ms: 40_000 });
  });
});

describe('a whole test', () => {
  it('rises 118.33 − 61 = 57 bpm at 2:49, above the 30 bpm adult threshold', () => {
    const analysis = analyseStandTest(record());
    expect(analysis.ok).toBe(true);
    if (!analysis.ok) return;
    expect(analysis.result).toMatchObject({ riseBpm: 57, thresholdBpm: 30, meetsHrCriterion: true, stoodS: 600, hypotension: null });
    expect(heartRateSentence(analysis.result)).toBe(
      'Heart rate rose 57 bpm — above the 30 bpm threshold used to screen for POTS. Only a clinician can diagnose POTS.',
    );
    expect(bloodPressureSentence(analysis.result.hypotension, 0)).toMatch(/^Heart-rate-only screen/);
  });

  it('uses 40 bpm aged 12–19, and says below or at', () => {
    const analysis = analyseStandTest(
      record({ ageBand: 'teen', samples: [...LYING, ...STANDING.map((s) => ({ ...s, bpm: s.bpm - 20 }))] }),
    );
    expect(analysis.ok && analysis.result).toMatchObject({ riseBpm: 37, thresholdBpm: 40, meetsHrCriterion: false });
    expect(heartRateSentence({ riseBpm: 37, thresholdBpm: 40 })).toContain('rose 37 bpm — below the 40 bpm threshold');
    expect(heartRateSentence({ riseBpm: 30, thresholdBpm: 30 })).toContain('rose 30 bpm — at the 30 bpm threshold');
    expect(heartRateSentence({ riseBpm: -2, thresholdBpm: 30 })).toContain('fell 2 bpm — below');
  });

  it('keeps what a stopped test recorded and says when it stopped', () => {
    const stopAt = STAND_AT + 250_000;
    const analysis = analyseStandTest(record({ endedAt: stopAt, stop: { at: stopAt, reason: 'sit-down' } }));
    expect(analysis.ok).toBe(true);
    if (!analysis.ok) return;
    expect(analysis.result.stoodS).toBe(250);
    // Minute 5 holds seconds 240–249 only; minutes 6–10 were never reached.
    expect(analysis.result.minuteHr.slice(3)).toEqual([92, 92, null, null, null, null, null]);
    expect(analysis.result.riseBpm).toBe(57);
    expect(stopSentence({ reason: 'sit-down' }, 250)).toBe(
      'Stopped at 4:10 of standing: you needed to sit down. The result covers what was recorded until then.',
    );
  });

  it.each([
    [
      'a gap of 37 s while standing',
      record({ samples: [...LYING, ...STANDING.filter((s) => s.t < STAND_AT + 200_000 || s.t >= STAND_AT + 236_000)] }),
      'No heart rate for 37 s from 3:19 of standing (the limit is 30 s)',
    ],
    [
      'no contact for 31 s while standing',
      record({ samples: [...LYING, ...STANDING.map((s, i) => (i >= 10 && i < 41 ? { ...s, contact: false } : s))] }),
      'No heart rate for 32 s from 0:09 of standing',
    ],
    [
      'a gap of 31 s lying down',
      record({ samples: [...LYING.filter((_, k) => k < 200 || k > 230), ...STANDING] }),
      'No heart rate for 32 s while lying down',
    ],
  ])('refuses %s', (_, input, reason) => {
    const analysis = analyseStandTest(input);
    expect(analysis).toMatchObject({ ok: false, code: 'contact-lost' });
    expect(!analysis.ok && analysis.reason).toContain(reason);
  });

  it('allows 30 s without heart rate exactly', () => {
    expect(analyseStandTest(record({ samples: [...LYING, ...STANDING.filter((_s, i) => i < 100 || i >= 129)] })).ok).toBe(true);
  });

  it('refuses a test that never stood or stood under 30 s', () => {
    expect(analyseStandTest(record({ standAt: null, endedAt: T0 + 100_000 }))).toMatchObject({ ok: false, code: 'not-stood' });
    const early = STAND_AT + 20_000;
    expect(analyseStandTest(record({ endedAt: early, stop: { at: early, reason: 'sit-down' } }))).toMatchObject({
      ok: false,
      code: 'too-short',
    });
  });
});

describe('blood pressure', () => {
  it('screens for orthostatic hypotension on the largest fall within 3 minutes', () => {
    // Lying 120/80; minute 1 98/78 (falls 22/2), minute 3 110/72 (10/8): 22 systolic reaches 20.
    expect(
      hypotensionOf([
        { minute: 0, systolic: 120, diastolic: 80 },
        { minute: 1, systolic: 98, diastolic: 78 },
        { minute: 3, systolic: 110, diastolic: 72 },
      ]),
    ).toEqual({
      fallSystolic: 22,
      fallDiastolic: 8,
      meets: true,
    });
    // Falls 15/8 and 8/9 within 3 minutes; minute 5's 30/20 fall is later and does not count.
    const later = [
      { minute: 0, systolic: 120, diastolic: 80 },
      { minute: 1, systolic: 105, diastolic: 72 },
      { minute: 3, systolic: 112, diastolic: 71 },
      { minute: 5, systolic: 90, diastolic: 60 },
    ];
    expect(hypotensionOf(later)).toEqual({ fallSystolic: 15, fallDiastolic: 9, meets: false });
    expect(
      hypotensionOf([
        { minute: 0, systolic: 120, diastolic: 80 },
        { minute: 1, systolic: 120, diastolic: 70 },
      ])?.meets,
    ).toBe(true);
    expect(pulsePressure(later[0]!)).toBe(40);
  });

  it('cannot screen without a lying reading or an early standing one', () => {
    expect(hypotensionOf([{ minute: 1, systolic: 90, diastolic: 60 }])).toBeNull();
    expect(
      hypotensionOf([
        { minute: 0, systolic: 120, diastolic: 80 },
        { minute: 5, systolic: 90, diastolic: 60 },
      ]),
    ).toBeNull();
    expect(bloodPressureSentence(null, 2)).toContain('not screened');
    expect(bloodPressureSentence({ fallSystolic: 22, fallDiastolic: 8, meets: true }, 3)).toBe(
      'Blood pressure fell up to 22 systolic and 8 diastolic mmHg within 3 minutes — a fall of 20 systolic or 10 diastolic is used to screen for orthostatic hypotension, and this reaches it. Only a clinician can diagnose it.',
    );
  });

  it.each([
    [{ minute: 1, systolic: 120, diastolic: 80 }, null],
    [{ minute: 1, systolic: 80, diastolic: 120 }, 'diastolic (120) must be below systolic (80)'],
    [{ minute: 1, systolic: 400, diastolic: 80 }, 'systolic must be a whole number from 50 to 260 mmHg, got 400'],
    [{ minute: 1, systolic: 120, diastolic: 8.5 }, 'diastolic must be a whole number from 20 to 160 mmHg, got 8.5'],
    [{ minute: 11, systolic: 120, diastolic: 80 }, 'minute must be a whole minute 0–10, got 11'],
  ])('checks a typed reading %o', (reading, error) => {
    expect(parseBpReading(reading)).toBe(error);
  });
});

describe('the stand-test document', () => {
  const bp = [
    { minute: 0, systolic: 120, diastolic: 80 },
    { minute: 1, systolic: 98, diastolic: 78 },
  ];
  const input = record({ bp, symptoms: [{ minute: 1, symptoms: ['light-headed', 'palpitations'] }] });
  const analysis = analyseStandTest(input);
  if (!analysis.ok) throw new Error(analysis.reason);
  const doc = toStandTestDoc(input, analysis.result);

  it('holds the figures and what was typed, and parses back whole', () => {
    expect(doc).toMatchObject({ riseBpm: 57, thresholdBpm: 30, meetsHrCriterion: true, sustainedS: 30, peakAtS: 169, baselineHr: 61 });
    expect(doc.hypotension).toEqual({ fallSystolic: 22, fallDiastolic: 2, meets: true });
    expect(parseStandTestDoc('test-1', JSON.parse(JSON.stringify(doc)))).toEqual({ ok: true, value: doc });
  });

  it.each([
    ['under another id', 'other', doc, 'stored as other'],
    ['with a bad rise', 'test-1', { ...doc, riseBpm: 'lots' }, 'riseBpm must be a number'],
    [
      'with a bad reading',
      'test-1',
      { ...doc, bp: [{ minute: 1, systolic: 60, diastolic: 90 }] },
      'bp[0]: diastolic (90) must be below systolic (60)',
    ],
    ['with an unknown symptom', 'test-1', { ...doc, symptoms: [{ minute: 1, symptoms: ['bored'] }] }, 'symptoms[0]'],
    ['with nine minutes', 'test-1', { ...doc, minuteHr: doc.minuteHr.slice(1) }, 'minuteHr must be 10'],
  ])('refuses one %s, naming the field', (_, id, body, reason) => {
    const parsed = parseStandTestDoc(id, body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });
});
