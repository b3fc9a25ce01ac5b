/**
 * The Battery Level characteristic (0x2A19): one uint8, a percentage 0–100
 * (Battery Service 1.0 §3.1; GATT Specification Supplement "Battery Level").
 */

/** Why a battery level was rejected: `length` (not exactly one byte) or `range` (over 100). */
export type BatteryLevelRejectCode = 'length' | 'range';

/** A battery percentage, or why the bytes are not one. */
export type BatteryLevelParse = { ok: true; value: number } | { ok: false; code: BatteryLevelRejectCode; reason: string };

/** Parses a Battery Level value; never throws. */
export function parseBatteryLevel(view: DataView): BatteryLevelParse {
  if (view.byteLength !== 1) return { ok: false, code: 'length', reason: `expected 1 byte, got ${view.byteLength}` };
  const value = view.getUint8(0);
  // 101–255 are reserved for future use, so they are no percentage we can show.
  if (value > 100) return { ok: false, code: 'range', reason: `battery level ${value} is over 100` };
  return { ok: true, value };
}
