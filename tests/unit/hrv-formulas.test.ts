import { describe, expect, it } from 'vitest';
import { measureHrv, rmssd, rmssdOfRuns, sdnn } from '../../src/shared/hrv/hrv';

/** Respiratory sinus arrhythmia over a 10-beat breath; sums to 0, so every 30 beats last exactly 30 s. */
const BREATH = [0, 25, 40, 25, 0, -25, -40, -25, 5, -5];
const restingSeries = (count: number) => Array.from({ length: count }, (_, i) => 1000 + BREATH[i % 10]!);

describe('time-domain formulas (Task Force 1996)', () => {
  it('RR [800, 810, 790, 805] → RMSSD ≈ 15.55 ms, SDNN ≈ 8.54 ms', () => {
    // Differences 10, −20, 15: squares 100 + 400 + 225 = 725; √(725 / 3) = 15.546.
    expect(rmssd([800, 810, 790, 805])).toBeCloseTo(15.546, 3);
    // Mean 801.25; squared deviations sum to 218.75; √(218.75 / 3) = 8.539 (n − 1). With /n it would be 7.395.
    expect(sdnn([800, 810, 790, 805])).toBeCloseTo(8.539, 3);
    expect(sdnn([800, 810, 790, 805])).not.toBeCloseTo(7.395, 1);
  });

  it.each([
    [[1000, 1000, 1000], 0, 0],
    [[900, 1100], 200, 141.421],
    [[600, 650, 600, 650, 600], 50, 27.386],
  ])('%j → RMSSD %d, SDNN %d', (rr, expectedRmssd, expectedSdnn) => {
    expect(rmssd(rr)).toBeCloseTo(expectedRmssd, 3);
    expect(sdnn(rr)).toBeCloseTo(expectedSdnn, 3);
  });

  it('takes no successive difference across a break between runs', () => {
    expect(
      rmssdOfRuns([
        [800, 810],
        [2000, 2010],
      ]),
    ).toBeCloseTo(10, 6);
    expect(rmssd([800])).toBeNaN();
  });
});

describe('measureHrv', () => {
  it('measures the hand-computed vector when the quality bars allow four beats', () => {
    const result = measureHrv([800, 810, 790, 805], { settleS: 0, minCleanBeats: 2 });
    expect(result).toMatchObject({ ok: true, beats: 4, cleanBeats: 4, correctedShare: 0, meanRr: 801.25 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.rmssd).toBeCloseTo(15.546, 3);
    expect(result.lnRmssd).toBeCloseTo(Math.log(15.546), 3);
    expect(result.sdnn).toBeCloseTo(8.539, 3);
    expect(result.meanHr).toBeCloseTo(60_000 / 801.25, 6);
    expect(result.durationS).toBeCloseTo(3.205, 6);
  });

  it('measures a clean resting reading after the 30 s settle trim', () => {
    const rr = restingSeries(150);
    const result = measureHrv(rr);
    if (!result.ok) throw new Error(result.reason);
    const analysed = rr.slice(30);
    expect(result).toMatchObject({ trimmed: 30, trimS: 30, beats: 120, cleanBeats: 120, corrected: 0, rejected: 0 });
    expect(result.rmssd).toBeCloseTo(rmssd(analysed), 9);
    expect(result.sdnn).toBeCloseTo(sdnn(analysed), 9);
    expect(result.meanHr).toBeGreaterThan(59);
    expect(result.meanHr).toBeLessThan(61);
  });

  it('refuses a reading that is too short, saying how many beats it had and needs', () => {
    const result = measureHrv(restingSeries(80));
    expect(result).toMatchObject({ ok: false, code: 'too-few-beats', beats: 50 });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.reason).toContain('Only 50 beats');
    expect(result.reason).toContain('at least 60');
    expect(result.reason).toContain('first 30 s');
  });

  it('refuses a reading with more than 5 % artifacts, and reports the share', () => {
    const rr = restingSeries(150);
    for (const i of [40, 50, 60, 70, 80, 90, 100]) rr[i] = 2600; // out of range: rejected
    const result = measureHrv(rr);
    expect(result).toMatchObject({ ok: false, code: 'too-many-corrections', beats: 120, rejected: 7 });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.correctedShare).toBeCloseTo(7 / 120, 9);
    expect(result.reason).toContain('5.8 % of beats');
    expect(result.reason).toContain('the limit is 5 %');
  });

  it('accepts exactly the limit of 5 %', () => {
    const rr = restingSeries(150);
    for (const i of [40, 55, 70, 85, 100, 115]) rr[i] = 250;
    const result = measureHrv(rr);
    expect(result).toMatchObject({ ok: true, rejected: 6, cleanBeats: 114, correctedShare: 0.05 });
  });

  it('refuses when few enough beats were corrected but too few are left as measured', () => {
    const rr = restingSeries(92);
    for (const i of [40, 60, 80]) rr[i] = 250;
    const result = measureHrv(rr);
    expect(result).toMatchObject({ ok: false, code: 'too-few-beats', beats: 62, cleanBeats: 59 });
  });

  it('honours configured thresholds', () => {
    const rr = restingSeries(150);
    for (const i of [40, 50, 60, 70, 80, 90, 100]) rr[i] = 2600;
    expect(measureHrv(rr, { maxCorrectedShare: 0.1 }).ok).toBe(true);
    expect(measureHrv(rr, { minCleanBeats: 200, maxCorrectedShare: 0.1 })).toMatchObject({ ok: false, code: 'too-few-beats' });
  });

  it('refuses intervals with no variability at all, which real hearts do not produce', () => {
    expect(measureHrv(Array(150).fill(1000))).toMatchObject({ ok: false, code: 'no-variability', cleanBeats: 120 });
  });

  it('refuses an empty reading without dividing by zero', () => {
    expect(measureHrv([])).toMatchObject({ ok: false, code: 'too-few-beats', beats: 0, correctedShare: 0, durationS: 0 });
  });
});
