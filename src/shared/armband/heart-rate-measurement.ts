/**
 * The Heart Rate Measurement characteristic (0x2A37, Heart Rate service 0x180D): parsed from
 * the bytes a strap notifies, and built from values for tests and the emulated armband.
 * Layout: Heart Rate Service 1.0 §3.1.1 and GATT Specification Supplement §3.113 ("Heart Rate
 * Measurement"); every multi-octet field is little-endian (LSO first).
 */
import { isPlausibleIntervalMs, MAX_INTERVAL_MS, MIN_INTERVAL_MS } from './interval-range';

// Flags field bits (GATT Supplement §3.113.1).
const VALUE_UINT16 = 0x01;
const CONTACT_DETECTED = 0x02;
// Bits 2:1 = 0b00 or 0b01 both mean "not supported": bit 1 only counts when bit 2 is set.
const CONTACT_SUPPORTED = 0x04;
const ENERGY_PRESENT = 0x08;
const RR_PRESENT = 0x10;
const RESERVED = 0xe0;

/** RR-Interval unit: 1/1024 s (GATT Supplement §3.113.4). */
const RR_UNITS_PER_SECOND = 1024;

/** One reading as the strap sent it. */
export interface HeartRateMeasurement {
  bpm: number;
  /** Skin contact; null when the sensor does not support contact detection. */
  contact: boolean | null;
  /** Cumulative energy expended in kJ since the strap's last reset; saturates at 65535. */
  energyKJ?: number;
  /**
   * Beat intervals in whole ms, oldest first, every one the strap sent except 0 ms. Implausible
   * ones are kept (and named in a warning): a 3 s interval is 3 s of missed beats, and dropping
   * it would make the beats either side look consecutive to the HRV maths, which gates them itself.
   */
  rrMs: number[];
}

/** Why a notification was rejected: `empty`, `truncated`, `reserved-flags` or `zero-bpm`. */
export type HeartRateRejectCode = 'empty' | 'truncated' | 'reserved-flags' | 'zero-bpm';

/** A parsed reading with what was dropped from it, or why nothing could be kept. */
export type HeartRateParse =
  | { ok: true; value: HeartRateMeasurement; warnings: string[] }
  | { ok: false; code: HeartRateRejectCode; reason: string };

/** Parses a Heart Rate Measurement notification; never throws. */
export function parseHeartRateMeasurement(view: DataView): HeartRateParse {
  const length = view.byteLength;
  if (length === 0) return reject('empty', 'no bytes');
  const flags = view.getUint8(0);
  // Reserved bits set means a layout we do not know: guessing at the offsets would misread every field.
  if (flags & RESERVED) return reject('reserved-flags', `reserved flag bits set in 0x${flags.toString(16).padStart(2, '0')}`);

  const wide = (flags & VALUE_UINT16) !== 0;
  let offset = 1;
  if (length < offset + (wide ? 2 : 1)) return reject('truncated', `no room for the ${wide ? 'uint16' : 'uint8'} heart rate value`);
  const bpm = wide ? view.getUint16(offset, true) : view.getUint8(offset);
  offset += wide ? 2 : 1;
  // Straps send 0 while they have no lock on the heart; it is not a heart rate.
  if (bpm === 0) return reject('zero-bpm', 'heart rate value is 0');

  const contact = flags & CONTACT_SUPPORTED ? (flags & CONTACT_DETECTED) !== 0 : null;
  const warnings: string[] = [];

  let energyKJ: number | undefined;
  if (flags & ENERGY_PRESENT) {
    if (length < offset + 2) return reject('truncated', 'no room for the energy expended field');
    energyKJ = view.getUint16(offset, true);
    offset += 2;
  }

  const rrMs: number[] = [];
  const rest = length - offset;
  if (flags & RR_PRESENT) {
    if (rest % 2 !== 0) return reject('truncated', `RR-interval field has an odd byte count (${rest})`);
    if (rest === 0) warnings.push('RR-interval flag set but no intervals sent');
    let zeros = 0;
    const implausible: number[] = [];
    for (; offset < length; offset += 2) {
      const ms = Math.round((view.getUint16(offset, true) * 1000) / RR_UNITS_PER_SECOND);
      // 0 ms spans no time, so it is no interval (and sync refuses it): the only one dropped.
      if (ms === 0) zeros++;
      else rrMs.push(ms);
      if (ms > 0 && !isPlausibleIntervalMs(ms)) implausible.push(ms);
    }
    if (zeros > 0) warnings.push(`dropped ${zeros} RR interval(s) of 0 ms`);
    // Kept so the analysis sees the break (src/shared/hrv/artifacts.ts counts each as an artifact).
    if (implausible.length > 0)
      warnings.push(
        `kept RR intervals outside ${MIN_INTERVAL_MS}–${MAX_INTERVAL_MS} ms for the HRV analysis to reject: ${implausible.join(', ')}`,
      );
  } else if (rest > 0) {
    warnings.push(`ignored ${rest} trailing byte(s) the flags do not announce`);
  }

  const value: HeartRateMeasurement = energyKJ === undefined ? { bpm, contact, rrMs } : { bpm, contact, energyKJ, rrMs };
  return { ok: true, value, warnings };
}

/** What `encodeHeartRateMeasurement` needs; `contact` undefined or null means "not supported". */
export interface HeartRateMeasurementInput {
  bpm: number;
  contact?: boolean | null;
  energyKJ?: number;
  rrMs: readonly number[];
  /** Force the uint16 heart rate format; it is used anyway above 255 bpm. */
  uint16?: boolean;
}

/** Builds the bytes a strap would notify for a reading; throws RangeError for values the format cannot hold. */
export function encodeHeartRateMeasurement(input: HeartRateMeasurementInput): Uint8Array<ArrayBuffer> {
  checkUint(input.bpm, 0xffff, 'bpm');
  const wide = input.uint16 === true || input.bpm > 0xff;
  const raws = input.rrMs.map((ms) => Math.round((ms * RR_UNITS_PER_SECOND) / 1000));
  for (const [i, raw] of raws.entries()) checkUint(raw, 0xffff, `rrMs[${i}]`);
  if (input.energyKJ !== undefined) checkUint(input.energyKJ, 0xffff, 'energyKJ');

  let flags = wide ? VALUE_UINT16 : 0;
  if (input.contact !== undefined && input.contact !== null) flags |= CONTACT_SUPPORTED | (input.contact ? CONTACT_DETECTED : 0);
  if (input.energyKJ !== undefined) flags |= ENERGY_PRESENT;
  if (raws.length > 0) flags |= RR_PRESENT;

  const bytes = new Uint8Array(1 + (wide ? 2 : 1) + (input.energyKJ === undefined ? 0 : 2) + 2 * raws.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, flags);
  let offset = 1;
  if (wide) view.setUint16(offset, input.bpm, true);
  else view.setUint8(offset, input.bpm);
  offset += wide ? 2 : 1;
  if (input.energyKJ !== undefined) {
    view.setUint16(offset, input.energyKJ, true);
    offset += 2;
  }
  for (const raw of raws) {
    view.setUint16(offset, raw, true);
    offset += 2;
  }
  return bytes;
}

function reject(code: HeartRateRejectCode, reason: string): HeartRateParse {
  return { ok: false, code, reason };
}

function checkUint(value: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${field} must be an integer 0–${max}, got ${value}`);
}
