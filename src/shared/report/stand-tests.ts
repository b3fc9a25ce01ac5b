/**
 * Stand tests as the report shows them: a small typed list, made from the synced `stand-test`
 * documents (src/shared/stand-test/document.ts) by `reportStandTest`; the worker's adapter
 * (src/workers/report-read.ts, `readStandTests`) reads and parses them.
 */
import type { StandTestDoc } from '../stand-test/document';

/** One stand test, reduced to what a clinician reads first. */
export interface ReportStandTest {
  /** When standing began, epoch ms. */
  at: number;
  /** NASA lean test (against a wall) or active stand (free-standing); null when not recorded. */
  protocol: 'lean' | 'active' | null;
  /** Mean lying heart rate of the baseline window, bpm. */
  baselineBpm: number | null;
  /** Largest sustained rise over the baseline, bpm; null when standing lasted too little to say. */
  rise: number | null;
  /** The rise the screen used (30 bpm for adults, 40 aged 12–19). */
  criterionBpm: number | null;
  /** Whether the rise reached that criterion; null without a rise. */
  criterionMet: boolean | null;
  /** The person stopped before the end ("I need to sit down"). */
  stopped: boolean;
  /** Seconds of standing recorded. */
  standingS: number;
}

/** The cells of a stand test's row in the report's table: when, protocol, baseline, rise, screen result, completion. */
export function standTestCells(test: ReportStandTest, dateLabel: (at: number) => string): string[] {
  const minutes = Math.floor(test.standingS / 60);
  return [
    dateLabel(test.at),
    test.protocol === 'lean' ? 'Lean test' : test.protocol === 'active' ? 'Active stand' : '-',
    test.baselineBpm === null ? '-' : `${Math.round(test.baselineBpm)} bpm`,
    test.rise === null ? '-' : `+${Math.round(test.rise)} bpm`,
    test.criterionMet === null || test.criterionBpm === null ? '-' : `${test.criterionMet ? 'reached' : 'below'} ${test.criterionBpm} bpm`,
    test.stopped ? `stopped after ${minutes} min` : `${minutes} min standing`,
  ];
}

/** A stored stand test as the report lists it: lean or free-standing, the sustained rise against its criterion. */
export function reportStandTest(doc: StandTestDoc): ReportStandTest {
  return {
    at: doc.standAt,
    protocol: doc.position === 'lean' ? 'lean' : 'active',
    baselineBpm: doc.baselineHr,
    rise: doc.riseBpm,
    criterionBpm: doc.thresholdBpm,
    criterionMet: doc.meetsHrCriterion,
    stopped: doc.stop !== null,
    standingS: doc.stoodS,
  };
}
