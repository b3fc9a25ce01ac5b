/**
 * Small helpers the synced-document parsers share (checkin.ts, measurement.ts). Kept apart so a
 * module that parses one kind does not pull in the others' tables.
 */

import { parseDayKey } from './days';

/** A parse result: the value, or a reason a person can read. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** True for a real calendar date written `YYYY-MM-DD` (parseDayKey's rules). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parseDayKey(value);
    return true;
  } catch {
    return false;
  }
}

/** A short, safe rendering of a bad value for an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value;
}

/** A failed parse. */
export function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
