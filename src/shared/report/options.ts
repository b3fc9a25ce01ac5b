/**
 * What a person asks the report to hold: the period, the paper and the optional sections. The
 * contract between the report screen and the report worker; checked on the worker side, since a
 * message is input like any other.
 */
import { type DayKey, parseDayKey } from '../days';

export type Paper = 'a4' | 'letter';

/** Page sizes in PDF points (1/72 in): ISO 216 A4 (210 × 297 mm) and US Letter (8.5 × 11 in). */
export const PAPER_SIZES: Readonly<Record<Paper, { width: number; height: number; label: string }>> = {
  a4: { width: 595.28, height: 841.89, label: 'A4' },
  letter: { width: 612, height: 792, label: 'Letter' },
};

/** The parts after the summary page a person may leave out. Notes are private: off unless ticked. */
export type ReportSection = 'charts' | 'weeklyTables' | 'notes';

export const REPORT_SECTIONS: readonly { id: ReportSection; label: string }[] = [
  { id: 'charts', label: 'Charts of each measure' },
  { id: 'weeklyTables', label: 'A table for each week' },
  { id: 'notes', label: 'My check-in notes (private unless ticked)' },
];

export const DEFAULT_SECTIONS: Readonly<Record<ReportSection, boolean>> = { charts: true, weeklyTables: true, notes: false };

/** The periods offered; 30 days is what a clinician usually asks to see. */
export const REPORT_PERIODS = [14, 30, 60, 90] as const;
export const DEFAULT_REPORT_DAYS = 30;
/** The longest period accepted: a year. */
export const MAX_REPORT_DAYS = 366;

export interface ReportOptions {
  /** The last local day in the report (usually today). */
  lastDay: DayKey;
  days: number;
  paper: Paper;
  sections: Record<ReportSection, boolean>;
}

/** Null when the options are usable; otherwise a sentence naming the field that is not. */
export function reportOptionsProblem(options: ReportOptions): string | null {
  try {
    parseDayKey(options.lastDay);
  } catch {
    return `lastDay must be a YYYY-MM-DD date, got ${JSON.stringify(options.lastDay)}`;
  }
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_REPORT_DAYS)
    return `days must be a whole number from 1 to ${MAX_REPORT_DAYS}, got ${JSON.stringify(options.days)}`;
  if (!(options.paper in PAPER_SIZES)) return `paper must be a4 or letter, got ${JSON.stringify(options.paper)}`;
  for (const { id } of REPORT_SECTIONS)
    if (typeof options.sections?.[id] !== 'boolean')
      return `sections.${id} must be true or false, got ${JSON.stringify(options.sections?.[id])}`;
  return null;
}

/** Where US Letter is the everyday paper (the Americas that never took up ISO 216, and the Philippines). */
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'PR', 'GT', 'CR', 'PA', 'SV', 'DO']);

/** The paper a printer in this locale most likely holds: Letter in LETTER_REGIONS, else A4. */
export function defaultPaper(locale: string): Paper {
  const region = /[-_]([A-Za-z]{2})(?:[-_.@]|$)/.exec(locale)?.[1]?.toUpperCase();
  return region && LETTER_REGIONS.has(region) ? 'letter' : 'a4';
}
