import { DEFAULT_QUIET_HOURS, type LearnedZones, numberFromInput, type PacingSettings } from '../shared/pacing/settings';
import type { ZoneMethod } from '../shared/pacing/zone-methods';

/** The threshold choice as the form shows it: one of the automatic methods, or by hand. */
export type ThresholdChoice = ZoneMethod | 'manual';

/** The form as typed: text for numbers, so a half-typed value is never coerced behind the person's back. */
export interface Form {
  restingMode: 'measured' | 'typed';
  restingText: string;
  threshold: ThresholdChoice;
  thresholdText: string;
  birthYearText: string;
  medication: boolean;
  learned: LearnedZones | null;
  dwellText: string;
  pointsText: string;
  alerts: boolean;
  vibrate: boolean;
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  repeat: boolean;
  repeatText: string;
}

/** Offered when the gentle repeat is first turned on. */
const DEFAULT_REPEAT_MINUTES = 15;

export function formOf(settings: PacingSettings): Form {
  return {
    restingMode: settings.restingHr === null ? 'measured' : 'typed',
    restingText: settings.restingHr === null ? '' : String(settings.restingHr),
    threshold: settings.threshold === null ? settings.zoneMethod : 'manual',
    thresholdText: settings.threshold === null ? '' : String(settings.threshold),
    birthYearText: settings.birthYear === null ? '' : String(settings.birthYear),
    medication: settings.rateLoweringMedication,
    learned: settings.learned,
    dwellText: String(settings.dwellSeconds),
    pointsText: String(settings.dailyPoints),
    alerts: settings.alerts,
    vibrate: settings.vibrate,
    quiet: settings.quietHours !== null,
    quietStart: (settings.quietHours ?? DEFAULT_QUIET_HOURS).start,
    quietEnd: (settings.quietHours ?? DEFAULT_QUIET_HOURS).end,
    repeat: settings.repeatMinutes !== null,
    repeatText: String(settings.repeatMinutes ?? DEFAULT_REPEAT_MINUTES),
  };
}

/**
 * The form as a settings body for the parser. A chosen "by hand" field left empty is NaN, so
 * the parser names it rather than silently going automatic. The automatic method last chosen is
 * kept while the threshold is set by hand, so going back to automatic returns to it.
 */
export function settingsOf(form: Form, previousMethod: ZoneMethod): Record<keyof PacingSettings, unknown> {
  const typed = (text: string) => numberFromInput(text) ?? Number.NaN;
  const manual = form.threshold === 'manual';
  const zoneMethod = manual ? previousMethod : form.threshold;
  return {
    restingHr: form.restingMode === 'typed' ? typed(form.restingText) : null,
    threshold: manual ? typed(form.thresholdText) : null,
    dwellSeconds: typed(form.dwellText),
    dailyPoints: typed(form.pointsText),
    alerts: form.alerts,
    vibrate: form.vibrate,
    zoneMethod,
    // Needed only by the percentage method, whose option shows the field: elsewhere what is not
    // a whole number is simply not given (the field is hidden, so an error there could not be seen).
    birthYear: zoneMethod === 'percent-of-max' ? typed(form.birthYearText) : wholeOrNull(form.birthYearText),
    rateLoweringMedication: form.medication,
    learned: form.learned,
    quietHours: form.quiet ? { start: form.quietStart, end: form.quietEnd } : null,
    repeatMinutes: form.repeat ? typed(form.repeatText) : null,
  };
}

function wholeOrNull(text: string): number | null {
  const value = numberFromInput(text);
  return value !== null && Number.isInteger(value) ? value : null;
}
