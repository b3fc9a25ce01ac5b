import { type CheckIn, SCALES } from './checkin';
import { addDays } from './days';
import type { StabilityInput } from './hrv/stability';
import type { Measurement } from './measurement';

/** Days of mornings handed to the score; stabilityScore keeps those of its baseline window. */
export const HISTORY_DAYS = 90;

/**
 * The stability score's input for the morning of `date`, or null without a real reading that
 * morning. Demo readings never count. Sleep is the day's check-in rating (morning first, as it
 * is about last night); symptoms are those of the evening before, worse-is-higher scales only
 * (mood runs the other way and is not a symptom).
 */
export function stabilityInputFor(date: string, measurements: readonly Measurement[], checkIns: readonly CheckIn[]): StabilityInput | null {
  const real = measurements.filter((m) => !m.source.demo);
  const today = real.find((m) => m.date === date);
  if (!today) return null;
  const from = addDays(date, -HISTORY_DAYS);
  const history = real
    .filter((m) => m.date < date && m.date >= from)
    .map((m) => ({ date: m.date, lnRmssd: m.lnRmssd, restingHr: m.restingHr }));
  const sameDay = (period: CheckIn['period']) => checkIns.find((c) => c.date === date && c.period === period);
  const sleepQuality = sameDay('morning')?.sleepQuality ?? sameDay('evening')?.sleepQuality ?? null;
  const yesterday = addDays(date, -1);
  const evening = checkIns.find((c) => c.date === yesterday && c.period === 'evening');
  const symptoms = evening
    ? SCALES.filter((s) => !s.higherIsBetter && evening[s.key] !== null).map((s) => ({ name: s.name, score: evening[s.key]! }))
    : [];
  return { today: { date, lnRmssd: today.lnRmssd, restingHr: today.restingHr }, history, sleepQuality, symptoms };
}
