/**
 * How a stand test result is said: always as a screen, never a diagnosis (issue 14's wording).
 */
import { clockText, type StandTestResult } from './analysis';
import { HYPOTENSION_FALL, HYPOTENSION_MINUTES, type StopReason, SUSTAINED_S } from './protocol';

/** "Heart rate rose 34 bpm — above the 30 bpm threshold used to screen for POTS. Only a clinician can diagnose POTS." */
export function heartRateSentence(result: Pick<StandTestResult, 'riseBpm' | 'thresholdBpm'>): string {
  const { riseBpm, thresholdBpm } = result;
  const verb = riseBpm >= 0 ? `rose ${riseBpm} bpm` : `fell ${-riseBpm} bpm`;
  const where = riseBpm > thresholdBpm ? 'above' : riseBpm === thresholdBpm ? 'at' : 'below';
  return `Heart rate ${verb} — ${where} the ${thresholdBpm} bpm threshold used to screen for POTS. Only a clinician can diagnose POTS.`;
}

/** What the blood-pressure readings show, or that this was a heart-rate-only screen. */
export function bloodPressureSentence(hypotension: StandTestResult['hypotension'], readings: number): string {
  if (readings === 0) return 'Heart-rate-only screen: no blood pressure was entered, so orthostatic hypotension was not screened.';
  if (hypotension === null)
    return `Orthostatic hypotension was not screened: it needs a reading lying down and one within ${HYPOTENSION_MINUTES} minutes of standing.`;
  const falls = `Blood pressure fell up to ${hypotension.fallSystolic} systolic and ${hypotension.fallDiastolic} diastolic mmHg within ${HYPOTENSION_MINUTES} minutes`;
  const rule = `a fall of ${HYPOTENSION_FALL.systolic} systolic or ${HYPOTENSION_FALL.diastolic} diastolic is used to screen for orthostatic hypotension`;
  return hypotension.meets
    ? `${falls} — ${rule}, and this reaches it. Only a clinician can diagnose it.`
    : `${falls} — below the fall (${rule}). Only a clinician can diagnose it.`;
}

/** How "sustained" is measured, said on the result screen. */
export const SUSTAINED_DEFINITION = `The rise is the highest average heart rate over any ${SUSTAINED_S} seconds of standing, minus the baseline (the average of the last 2 minutes lying down).`;

/** "Stopped at 4:12 of standing: you needed to sit down." */
export function stopSentence(stop: { reason: StopReason }, stoodS: number): string {
  const why = stop.reason === 'sit-down' ? 'you needed to sit down' : 'the page closed';
  return `Stopped at ${clockText(stoodS)} of standing: ${why}. The result covers what was recorded until then.`;
}
