/**
 * The daily series a person can chart, overlay and read as text: one definition each, so the
 * chart, its summary sentence and the data table never disagree about a value or its unit.
 */
import { SCALES, type ScaleKey } from '../checkin';
import type { Symptom } from '../symptoms';
import type { DayRow } from './day-rows';

export type SeriesId =
  | 'rmssd'
  | 'lnRmssd'
  | 'restingHr'
  | 'stability'
  | 'symptomSum'
  | ScaleKey
  | 'aboveThreshold'
  | 'pacePoints'
  /** A symptom rated in a check-in's `symptoms` map (src/shared/symptoms.ts), by its id. */
  | `symptom:${string}`;

/** How one daily series is read, named and shown. */
export interface SeriesDef {
  id: SeriesId;
  /** As a chart title or menu entry: "Morning HRV (RMSSD)". */
  label: string;
  /** As the subject of a sentence: "Morning HRV". */
  subject: string;
  /** Shown after numbers: "ms", "bpm", "min"; empty for scores. */
  unit: string;
  decimals: number;
  /** For ratings: what the ends of the scale mean, so a chart reads the right way up. */
  scaleNote?: string;
  /** A fixed y range for bounded scales, so a chart never exaggerates a one-point change. */
  range?: [number, number];
  /** Totals per day read best as bars; levels as a line. */
  style: 'line' | 'bars';
  value(row: DayRow): number | null;
}

const rating = (key: ScaleKey) => {
  const scale = SCALES.find((s) => s.key === key)!;
  return {
    id: key,
    label: scale.label,
    subject: scale.label,
    unit: '',
    decimals: 1,
    scaleNote: scale.higherIsBetter ? `0 ${scale.levels[0].toLowerCase()} … 3 ${scale.levels[3].toLowerCase()}` : '0 none … 3 severe',
    range: [0, 3],
    style: 'line',
    value: (row: DayRow) => row.ratings[key],
  } satisfies SeriesDef;
};

/** The series of a symptom beyond the six (a built-in one or the person's own), rated 0 none … 3 severe. */
export function symptomSeries(symptom: Pick<Symptom, 'id' | 'label'>): SeriesDef {
  return {
    id: `symptom:${symptom.id}`,
    label: symptom.label,
    subject: symptom.label,
    unit: '',
    decimals: 1,
    scaleNote: '0 none … 3 severe',
    range: [0, 3],
    style: 'line',
    value: (row) => row.otherRatings[symptom.id] ?? null,
  };
}

/** Every series, in the order menus list them. */
export const SERIES: readonly SeriesDef[] = [
  { id: 'rmssd', label: 'Morning HRV (RMSSD)', subject: 'Morning HRV', unit: 'ms', decimals: 0, style: 'line', value: (r) => r.rmssd },
  {
    id: 'lnRmssd',
    label: 'Morning HRV (lnRMSSD)',
    subject: 'Morning lnRMSSD',
    unit: '',
    decimals: 2,
    style: 'line',
    value: (r) => r.lnRmssd,
  },
  {
    id: 'restingHr',
    label: 'Resting heart rate',
    subject: 'Resting heart rate',
    unit: 'bpm',
    decimals: 0,
    style: 'line',
    value: (r) => r.restingHr,
  },
  {
    id: 'stability',
    label: 'Morning stability',
    subject: 'Morning stability',
    unit: '',
    decimals: 1,
    scaleNote: '1 take it very gently … 5 as steady as usual',
    range: [1, 5],
    style: 'line',
    value: (r) => r.stability,
  },
  {
    id: 'symptomSum',
    label: 'Symptom score (sum)',
    subject: 'The symptom score',
    unit: '',
    decimals: 1,
    scaleNote: 'fatigue + brain fog + pain + orthostatic, 0 … 12 (higher is worse)',
    range: [0, 12],
    style: 'bars',
    value: (r) => r.symptomSum,
  },
  rating('fatigue'),
  rating('brainFog'),
  rating('pain'),
  rating('orthostatic'),
  rating('sleepQuality'),
  rating('mood'),
  {
    id: 'aboveThreshold',
    label: 'Time above threshold',
    subject: 'Time above threshold',
    unit: 'min',
    decimals: 0,
    style: 'bars',
    value: (r) => r.aboveThresholdMin,
  },
  {
    id: 'pacePoints',
    label: 'Pace points',
    subject: 'Pace points',
    unit: 'points',
    decimals: 0,
    style: 'bars',
    value: (r) => r.pacePoints,
  },
];

/** The definition of a series; throws on an unknown id (a programming error). */
export function seriesById(id: SeriesId): SeriesDef {
  const def = SERIES.find((s) => s.id === id);
  if (!def) throw new RangeError(`no series ${id}`);
  return def;
}
