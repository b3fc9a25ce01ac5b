/**
 * The guided stand test (NASA lean test or active stand): its fixed numbers and the record the
 * page keeps while it runs. Runtime-neutral; the analysis is in analysis.ts.
 *
 * Protocol: lie still, then stand for 10 minutes with blood pressure and symptoms noted at
 * minutes 1, 3, 5, 7 and 10 (Bateman Horne Center, "10 Minute NASA Lean Test", 2018; Sheldon
 * et al., 2015 HRS expert consensus statement on POTS, Heart Rhythm 12:e41).
 */
import type { IntervalKind } from '../samples';

/** Minutes lying still before standing: 5 by default, up to 10. */
export const LYING_MINUTES_CHOICES = [5, 6, 7, 8, 9, 10] as const;
export const DEFAULT_LYING_MINUTES = 5;
/** Baseline heart rate is the mean of the last 2 minutes lying down. */
export const BASELINE_WINDOW_S = 120;
/** Minutes standing. */
export const STAND_MINUTES = 10;
/** Minutes of standing at which blood pressure and symptoms are asked for. */
export const PROMPT_MINUTES = [1, 3, 5, 7, 10] as const;
/**
 * A rise counts as sustained when the heart rate's average over this many seconds holds it: a
 * single beat's jump on getting up is not a sustained rise.
 */
export const SUSTAINED_S = 30;
/** Longer than this without a heart rate (no sample, or the armband reports no skin contact) refuses the test. */
export const CONTACT_LIMIT_S = 30;
/** Orthostatic hypotension is judged on readings within this many minutes of standing. */
export const HYPOTENSION_MINUTES = 3;
/** A fall of at least this much from lying, in mmHg, screens for orthostatic hypotension (consensus statement, Freeman et al. 2011). */
export const HYPOTENSION_FALL = { systolic: 20, diastolic: 10 } as const;

/** Age band for the heart-rate criterion, asked once and kept in settings. */
export type AgeBand = 'adult' | 'teen';
/** The rise used to screen for POTS: ≥ 30 bpm in adults, ≥ 40 bpm aged 12–19 (Sheldon et al. 2015). */
export const POTS_RISE_BPM: Record<AgeBand, number> = { adult: 30, teen: 40 };
export const AGE_BAND_LABELS: Record<AgeBand, string> = { adult: '20 or older', teen: '12 to 19' };

/** Leaning against a wall (NASA lean test) or standing free (active stand). */
export type StandPosition = 'lean' | 'free';
export const POSITION_LABELS: Record<StandPosition, string> = {
  lean: 'NASA lean test (leaning on a wall)',
  free: 'Active stand (standing free)',
};

export const SYMPTOMS = [
  'light-headed',
  'palpitations',
  'nausea',
  'blurred-vision',
  'shaky',
  'short-of-breath',
  'hot-or-sweaty',
  'tired',
] as const;
export type Symptom = (typeof SYMPTOMS)[number];
export const SYMPTOM_LABELS: Record<Symptom, string> = {
  'light-headed': 'Light-headed',
  palpitations: 'Palpitations',
  nausea: 'Nausea',
  'blurred-vision': 'Blurred vision',
  shaky: 'Shaky',
  'short-of-breath': 'Short of breath',
  'hot-or-sweaty': 'Hot or sweaty',
  tired: 'Tired or heavy',
};

/** One heart-rate reading as the test saw it; `contact` false means the armband reported no skin contact. */
export interface StandSample {
  t: number;
  bpm: number;
  contact: boolean | null;
  intervalsMs: number[];
}

/** A blood-pressure reading typed from a cuff; minute 0 is the one taken lying down. */
export interface BpReading {
  minute: number;
  systolic: number;
  diastolic: number;
}

/** Symptoms ticked at a prompt (possibly none). */
export interface SymptomEntry {
  minute: number;
  symptoms: Symptom[];
}

/** Why the test ended before the 10 minutes: the person sat down, or the page closed (the draft was kept). */
export type StopReason = 'sit-down' | 'page-closed';

/** Where the heart rate came from. */
export interface StandSource {
  id: string;
  name: string;
  intervalKind: IntervalKind;
  demo: boolean;
}

/** Everything recorded so far: written to IndexedDB each second while the test runs. */
export interface StandTestRecord {
  id: string;
  /** Epoch ms when lying down started. */
  startedAt: number;
  lyingMinutes: number;
  position: StandPosition;
  ageBand: AgeBand;
  source: StandSource;
  /** Epoch ms when standing started; null while lying. */
  standAt: number | null;
  /** Epoch ms when the test ended (finished, stopped or refused); null while running. */
  endedAt: number | null;
  stop: { at: number; reason: StopReason } | null;
  samples: StandSample[];
  bp: BpReading[];
  symptoms: SymptomEntry[];
}
