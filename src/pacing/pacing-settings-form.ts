import { numberFromInput, type PacingSettings } from '../shared/pacing/settings';

/** The form as typed: text for numbers, so a half-typed value is never coerced behind the person's back. */
export interface Form {
  restingMode: 'measured' | 'typed';
  restingText: string;
  thresholdMode: 'auto' | 'manual';
  thresholdText: string;
  dwellText: string;
  pointsText: string;
  alerts: boolean;
  vibrate: boolean;
}

export function formOf(settings: PacingSettings): Form {
  return {
    restingMode: settings.restingHr === null ? 'measured' : 'typed',
    restingText: settings.restingHr === null ? '' : String(settings.restingHr),
    thresholdMode: settings.threshold === null ? 'auto' : 'manual',
    thresholdText: settings.threshold === null ? '' : String(settings.threshold),
    dwellText: String(settings.dwellSeconds),
    pointsText: String(settings.dailyPoints),
    alerts: settings.alerts,
    vibrate: settings.vibrate,
  };
}

/** A chosen "by hand" field left empty is NaN, so the parser names it rather than silently going automatic. */
export function settingsOf(form: Form): Record<keyof PacingSettings, unknown> {
  const typed = (text: string) => numberFromInput(text) ?? Number.NaN;
  return {
    restingHr: form.restingMode === 'typed' ? typed(form.restingText) : null,
    threshold: form.thresholdMode === 'manual' ? typed(form.thresholdText) : null,
    dwellSeconds: typed(form.dwellText),
    dailyPoints: typed(form.pointsText),
    alerts: form.alerts,
    vibrate: form.vibrate,
  };
}
