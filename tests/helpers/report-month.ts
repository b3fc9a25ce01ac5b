import { appendToChunk, emptyChunk, type SampleChunk } from '../../src/shared/samples';
import { measurementDoc, type SeedDoc } from './trend-docs';

/**
 * A known month for the report tests: 30 local days ending today, each defined by its index
 * (0 the oldest, 29 today), and everything its summary page must say, computed here from the
 * definition alone (none of the app's report code), so the PDF is checked against the seed.
 * Local time, as the app reads it (Chromium runs in this machine's time zone).
 */
export const DAYS = 30;
const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Day `i` of the month: its date, midnight, and "3 Nov" as the report writes it. */
export function day(i: number, today = new Date()) {
  const midnight = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (DAYS - 1 - i));
  return {
    date: `${midnight.getFullYear()}-${pad(midnight.getMonth() + 1)}-${pad(midnight.getDate())}`,
    start: midnight.getTime(),
    label: `${midnight.getDate()} ${MONTHS[midnight.getMonth()]}`,
    long: `${midnight.getDate()} ${MONTHS[midnight.getMonth()]} ${midnight.getFullYear()}`,
  };
}
const indices = Array.from({ length: DAYS }, (_, i) => i);

// The definition. Heart rate: one block from 01:00, a sample every 5 s: rest, then activity, then
// above threshold, at bpm far inside each zone for every day's bounds (resting HR 58–61: rest
// below 63–66, threshold 73–76). None on days 4, 14 and 24.
const hasHeartRate = (i: number) => i % 10 !== 4;
const restMin = (i: number) => 100 + 2 * i;
const activityMin = (i: number) => 30 + 10 * (i % 7);
const aboveMin = (i: number) => 4 * (i % 6);
const BPM = { rest: 55, activity: 70, above: 100 };
// Morning readings on 24 days.
const hasMorning = (i: number) => i % 5 !== 3;
const rmssdOf = (i: number) => 30 + ((i * 7) % 23);
const restingHrOf = (i: number) => 58 + (i % 4);
// A morning check-in on 20 days; crashes on days 9, 10 and 21.
const hasCheckIn = (i: number) => i % 3 !== 2;
const CRASH_DAYS = [9, 10, 21];
const ratingsOf = (i: number) => ({
  fatigue: i % 4,
  brainFog: (i + 1) % 4,
  pain: i % 2 === 0 ? null : 1,
  orthostatic: 2,
  sleepQuality: i % 3 === 0 ? 1 : 2,
  mood: 3 - (i % 4),
});
/** A note on day 6: private unless the person ticks notes. */
export const NOTE = { index: 6, text: 'Walked to the pharmacy and back; paid for it for two days.' };
export const DAILY_POINTS = 120;

/** The heart-rate chunks of the month. */
export function monthChunks(today = new Date()): SampleChunk[] {
  const chunks = new Map<number, SampleChunk>();
  for (const i of indices.filter(hasHeartRate)) {
    const begin = day(i, today).start + 3_600_000;
    const blocks: [number, number][] = [
      [restMin(i), BPM.rest],
      [activityMin(i), BPM.activity],
      [aboveMin(i), BPM.above],
    ];
    let t = begin;
    const add = (at: number, bpm: number) => {
      const minute = Math.floor(at / 60_000) * 60_000;
      const chunk = chunks.get(minute) ?? emptyChunk('strap-1', false, 'rr', at);
      chunks.set(minute, chunk);
      appendToChunk(chunk, [{ t: at, bpm, contact: true, intervalsMs: [] }]);
    };
    for (const [minutes, bpm] of blocks) {
      // Each sample stands for the 5 s until the next: a block of m minutes is 12 m samples.
      for (let s = 0; s < minutes * 12; s++) add(t + s * 5_000, bpm);
      t += minutes * 60_000;
    }
    // One last sample closes the final span; it stands for nothing after it.
    add(t, BPM.rest);
  }
  return [...chunks.values()];
}

/** The measurement and check-in documents of the month. */
export function monthDocs(today = new Date()): SeedDoc[] {
  const docs: SeedDoc[] = [];
  for (const i of indices) {
    const { date, start } = day(i, today);
    if (hasMorning(i)) docs.push(measurementDoc(date, { rmssd: rmssdOf(i), restingHr: restingHrOf(i), takenAt: start + 7 * 3_600_000 }));
    if (hasCheckIn(i)) {
      docs.push({
        kind: 'checkin',
        id: `${date}-morning`,
        body: {
          date,
          period: 'morning',
          ...ratingsOf(i),
          crash: CRASH_DAYS.includes(i),
          note: i === NOTE.index ? NOTE.text : '',
          savedAt: start + 8 * 3_600_000,
        },
      });
    }
  }
  return docs;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const duration = (minutes: number) => {
  const whole = Math.round(minutes);
  return whole >= 60 ? `${Math.floor(whole / 60)} h ${pad(whole % 60)} min` : `${whole} min`;
};
/** The first day holding the extreme value, and the value. */
const extreme = (days: number[], value: (i: number) => number, pick: 'min' | 'max') => {
  let best = days[0]!;
  for (const i of days) if (pick === 'min' ? value(i) < value(best) : value(i) > value(best)) best = i;
  return { i: best, value: value(best) };
};
const list = (days: number[], today: Date, max = 8) => {
  const labels = days.slice(0, max).map((i) => day(i, today).label);
  if (days.length > max) return `${labels.join(', ')} and ${days.length - max} more`;
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}` : labels.join('');
};

/**
 * Every string with a figure in it on the summary page, in the order it is drawn, for a report made
 * today over the month with `pages` pages. Chart labels included: first, middle and last day,
 * and the y ticks by the charts' stated rules (zones: hours up to a multiple of 4; points: up to a
 * multiple of 50 at or above the limit; lines: from the lowest × 0.9 down to a multiple of 5, to the
 * highest × 1.1 up to one).
 */
export function expectedSummary(pages: number, today = new Date()): string[] {
  const d = (i: number) => day(i, today);
  const hr = indices.filter(hasHeartRate);
  const mornings = indices.filter(hasMorning);
  const checkIns = indices.filter(hasCheckIn);
  const points = (i: number) => activityMin(i) + 3 * aboveMin(i);
  // The threshold each day is counted against: the latest morning's resting HR + 15.
  const threshold = (i: number) => restingHrOf(Math.max(...mornings.filter((m) => m <= i))) + 15;
  const thresholds = hr.map(threshold);
  const dayLabels = `${d(0).label} ${d(14).label} ${d(29).label}`;
  const ticks = (bottom: number, top: number, unit = '') =>
    [bottom, (bottom + top) / 2, top].map((v) => `${+v.toFixed(1)}${unit}`).join(' ');
  const zoneTop = Math.ceil(Math.max(...hr.map((i) => (restMin(i) + activityMin(i) + aboveMin(i)) / 60)) / 4) * 4;
  const pointsTop = Math.ceil(Math.max(DAILY_POINTS, ...hr.map(points)) / 50) * 50;
  const over = hr.filter((i) => points(i) > DAILY_POINTS);
  const highest = extreme(hr, points, 'max');
  const series = (subject: string, unit: string, days: number[], value: (i: number) => number) => {
    const low = extreme(days, value, 'min');
    const high = extreme(days, value, 'max');
    const first = days.filter((i) => i < 7);
    const last = days.filter((i) => i >= DAYS - 7);
    return (
      `${subject} averaged ${mean(days.map(value)).toFixed(0)} ${unit} over 30 days (${days.length} with a value), ` +
      `lowest ${low.value} ${unit} on ${d(low.i).label}, highest ${high.value} ${unit} on ${d(high.i).label}. ` +
      `First 7 days ${mean(first.map(value)).toFixed(0)} ${unit}, last 7 days ${mean(last.map(value)).toFixed(0)} ${unit}.`
    );
  };
  const lineTicks = (days: number[], value: (i: number) => number) => {
    const values = days.map(value);
    return ticks(Math.floor((Math.min(...values) * 0.9) / 5) * 5, Math.max(5, Math.ceil((Math.max(...values) * 1.1) / 5) * 5));
  };
  const ratings = (i: number) => ratingsOf(i);
  const symptomSum = (i: number) => ratings(i).fatigue + ratings(i).brainFog + (ratings(i).pain ?? 0) + ratings(i).orthostatic;
  const lowSum = extreme(checkIns, symptomSum, 'min');
  const highSum = extreme(checkIns, symptomSum, 'max');
  const ratingMean = (key: keyof ReturnType<typeof ratingsOf>) =>
    mean(checkIns.map((i) => ratings(i)[key]).filter((v): v is number => v !== null)).toFixed(1);
  return [
    `${d(0).long} to ${d(29).long} (30 days)`,
    `Made on ${d(29).long} by Steady`,
    `Heart rate on ${hr.length} of 30 days; morning HRV readings on ${mornings.length} days; symptoms rated on ${checkIns.length} days.`,
    `Average per day with heart rate: rest ${duration(mean(hr.map(restMin)))}, activity ${duration(mean(hr.map(activityMin)))}, ` +
      `above threshold ${duration(mean(hr.map(aboveMin)))}. Threshold ${Math.min(...thresholds)} to ${Math.max(...thresholds)} bpm.`,
    `${ticks(0, zoneTop, ' h')} ${dayLabels}`,
    `Daily limit ${DAILY_POINTS} points. Average ${Math.round(mean(hr.map(points)))} a day with heart rate; ` +
      `highest ${highest.value} on ${d(highest.i).label}. Over the limit on ${over.length} days: ${list(over, today)}.`,
    `${ticks(0, pointsTop)} ${dayLabels}`,
    `${CRASH_DAYS.length} crash days (post-exertional malaise): ${list(CRASH_DAYS, today, 12)}.`,
    series('Morning HRV', 'ms', mornings, rmssdOf),
    series('Resting heart rate', 'bpm', mornings, restingHrOf),
    `${lineTicks(mornings, rmssdOf)} ${dayLabels}`,
    `${lineTicks(mornings, restingHrOf)} ${dayLabels}`,
    `The symptom score averaged ${mean(checkIns.map(symptomSum)).toFixed(1)} over 30 days (${checkIns.length} with a value), ` +
      `lowest ${lowSum.value} on ${d(lowSum.i).label}, highest ${highSum.value} on ${d(highSum.i).label}. ` +
      `First 7 days ${mean(checkIns.filter((i) => i < 7).map(symptomSum)).toFixed(1)}, last 7 days ${mean(checkIns.filter((i) => i >= DAYS - 7).map(symptomSum)).toFixed(1)}. ` +
      `Averages (0 none to 3 severe): fatigue ${ratingMean('fatigue')}, brain fog ${ratingMean('brainFog')}, pain ${ratingMean('pain')}, ` +
      `orthostatic symptoms ${ratingMean('orthostatic')}; and (0 worst to 3 good): sleep quality ${ratingMean('sleepQuality')}, mood ${ratingMean('mood')}.`,
    // The symptom score's chart, titled with and drawn on the score's fixed range.
    `Symptom score: fatigue + brain fog + pain + orthostatic, 0 to 12 ${ticks(0, 12)} ${dayLabels}`,
    'None in this period.',
    `Page 1 of ${pages}.`,
  ];
}
