/**
 * Polar Measurement Data (PMD): Polar's own GATT service, used here only to stream PPI
 * (pulse-to-pulse intervals) from optical sensors such as the Verity Sense and OH1.
 * Polar publishes no byte-level spec in text; every layout below follows the official
 * polarofficial/polar-ble-sdk sources (BlePMDClient.kt, PmdControlPointCommand.kt,
 * PmdControlPointResponse.kt, PmdDataFrame.kt, model/PpiData.kt) and its PpiDataTest vectors.
 */

/** The PMD service. */
export const PMD_SERVICE_UUID = 'fb005c80-02e7-f387-1cad-8acd2d8df0c8';
/** PMD control point: write a request, the answer arrives as an indication (subscribe first). */
export const PMD_CONTROL_POINT_UUID = 'fb005c81-02e7-f387-1cad-8acd2d8df0c8';
/** PMD data: measurement frames arrive as notifications. */
export const PMD_DATA_UUID = 'fb005c82-02e7-f387-1cad-8acd2d8df0c8';

/** Measurement type of PPI (PmdMeasurementType.PPI). */
export const PMD_MEASUREMENT_PPI = 0x03;
/** Control point op code: request measurement start (PmdControlPointCommandClientToService). */
export const PMD_OP_START = 0x02;
/** Control point op code: stop measurement. */
export const PMD_OP_STOP = 0x03;
/** First byte of every answer to a request (PmdControlPointResponse.CONTROL_POINT_RESPONSE_CODE). */
export const PMD_RESPONSE = 0xf0;
/** First byte of a message the device sends unasked when it stops a stream (ONLINE_MEASUREMENT_STOPPED). */
export const PMD_MEASUREMENT_STOPPED = 0x01;

/** PMD error codes by number, as PmdControlPointResponseCode names them; 0 is success. */
export const PMD_ERROR_NAMES: readonly string[] = [
  'success',
  'invalid op code',
  'invalid measurement type',
  'not supported',
  'invalid length',
  'invalid parameter',
  'already in state',
  'invalid resolution',
  'invalid sample rate',
  'invalid range',
  'invalid MTU',
  'invalid number of channels',
  'invalid state',
  'device in charger',
  'disk full',
];

// The measurement type byte carries the type in bits 0–5; bit 7 marks offline recording (PmdRecordingType).
const MEASUREMENT_TYPE_MASK = 0x3f;
// Data frame header: type (1), timestamp uint64 LE ns (8), frame type (1) (PmdDataFrame.kt).
const FRAME_HEADER_BYTES = 10;
// Frame type byte: bit 7 = delta-compressed, bits 0–6 = frame type; PPI has only raw type 0.
const FRAME_COMPRESSED = 0x80;
const PPI_SAMPLE_BYTES = 6;

/** The start request for PPI: op code, then the type byte (online); PPI takes no settings. */
export function ppiStartCommand(): Uint8Array<ArrayBuffer> {
  return Uint8Array.of(PMD_OP_START, PMD_MEASUREMENT_PPI);
}

/** The stop request for PPI. */
export function ppiStopCommand(): Uint8Array<ArrayBuffer> {
  return Uint8Array.of(PMD_OP_STOP, PMD_MEASUREMENT_PPI);
}

/**
 * True when a read of the control point (the feature bitmap) lists PPI: bit 3 of byte 1, per
 * PmdMeasurementType.fromByteArray. Byte 0 is not interpreted: the SDK ignores it too.
 */
export function pmdFeaturesIncludePpi(view: DataView): boolean {
  return view.byteLength >= 2 && (view.getUint8(1) & 0x08) !== 0;
}

/** Why a control point answer is not the success we waited for. */
export type PmdControlPointRejectCode = 'truncated' | 'not-a-response' | 'unexpected-response' | 'device-error';

/** A successful answer (its parameters, if any), or why the request did not succeed. */
export type PmdControlPointParse =
  | { ok: true; opCode: number; measurementType: number; more: boolean; parameters: Uint8Array<ArrayBuffer> }
  | { ok: false; code: PmdControlPointRejectCode; reason: string; errorCode?: number };

/**
 * Parses a control point indication as the answer to a request (a PPI start by default):
 * `F0, op code, measurement type, error code, [more, parameters…]`. Never throws.
 */
export function parsePmdControlPointResponse(
  view: DataView,
  expectedOpCode: number = PMD_OP_START,
  expectedType: number = PMD_MEASUREMENT_PPI,
): PmdControlPointParse {
  if (view.byteLength === 0) return { ok: false, code: 'truncated', reason: 'no bytes' };
  const first = view.getUint8(0);
  if (first === PMD_MEASUREMENT_STOPPED) {
    const types = Array.from({ length: view.byteLength - 1 }, (_, i) => view.getUint8(i + 1) & MEASUREMENT_TYPE_MASK);
    return { ok: false, code: 'not-a-response', reason: `device stopped measurement type(s) ${types.join(', ')}` };
  }
  if (first !== PMD_RESPONSE) return { ok: false, code: 'not-a-response', reason: `first byte 0x${first.toString(16)} is not 0xf0` };
  if (view.byteLength < 4) return { ok: false, code: 'truncated', reason: `response has ${view.byteLength} bytes, needs 4` };

  const opCode = view.getUint8(1);
  const measurementType = view.getUint8(2) & MEASUREMENT_TYPE_MASK;
  const errorCode = view.getUint8(3);
  // The SDK discards answers to other op codes while it waits; the caller may be waiting for this one still.
  if (opCode !== expectedOpCode || measurementType !== expectedType) {
    return {
      ok: false,
      code: 'unexpected-response',
      reason: `answer to op ${opCode} type ${measurementType}, expected op ${expectedOpCode} type ${expectedType}`,
    };
  }
  if (errorCode !== 0) {
    const name = PMD_ERROR_NAMES[errorCode] ?? 'unknown error';
    return { ok: false, code: 'device-error', reason: `device answered error ${errorCode} (${name})`, errorCode };
  }
  const more = view.byteLength > 4 && view.getUint8(4) !== 0;
  const parameters = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice(5);
  return { ok: true, opCode, measurementType, more, parameters };
}

/** One PPI sample as the sensor sent it (PpiData.PpiSample). */
export interface PpiSample {
  /** Heart rate in bpm; some sensors (Verity Sense) always send 0 here. */
  hr: number;
  /** Pulse-to-pulse interval in ms. */
  ppMs: number;
  /** The sensor's own error estimate for `ppMs`, in ms. */
  errorMs: number;
  /** Movement was detected while measuring: the interval is not trustworthy. */
  blocker: boolean;
  skinContact: boolean;
  /** Whether `skinContact` means anything. */
  skinContactSupported: boolean;
}

/** Why a data frame was rejected. */
export type PpiRejectCode = 'truncated' | 'wrong-type' | 'unsupported-frame';

/** The samples of one PPI frame, or why it could not be read. */
export type PpiParse =
  | {
      ok: true;
      /** Device time in ns since 2000-01-01T00:00:00 (the sensor's clock, maybe local time); 0n when the sensor does not stamp PPI. */
      timestamp: bigint;
      samples: PpiSample[];
    }
  | { ok: false; code: PpiRejectCode; reason: string };

/** Parses a PMD data notification carrying raw PPI samples; never throws. */
export function parsePpiFrame(view: DataView): PpiParse {
  if (view.byteLength < FRAME_HEADER_BYTES)
    return { ok: false, code: 'truncated', reason: `frame has ${view.byteLength} bytes, header needs 10` };
  const type = view.getUint8(0) & MEASUREMENT_TYPE_MASK;
  if (type !== PMD_MEASUREMENT_PPI) return { ok: false, code: 'wrong-type', reason: `measurement type ${type} is not PPI (3)` };
  const frameType = view.getUint8(9);
  if (frameType !== 0) {
    const what = frameType & FRAME_COMPRESSED ? 'compressed' : 'raw';
    return { ok: false, code: 'unsupported-frame', reason: `${what} frame type ${frameType & 0x7f} is not PPI's raw type 0` };
  }
  const body = view.byteLength - FRAME_HEADER_BYTES;
  if (body % PPI_SAMPLE_BYTES !== 0)
    return { ok: false, code: 'truncated', reason: `${body} sample bytes is not a whole number of 6-byte samples` };

  const samples: PpiSample[] = [];
  for (let at = FRAME_HEADER_BYTES; at < view.byteLength; at += PPI_SAMPLE_BYTES) {
    const flags = view.getUint8(at + 5);
    samples.push({
      hr: view.getUint8(at),
      ppMs: view.getUint16(at + 1, true),
      errorMs: view.getUint16(at + 3, true),
      blocker: (flags & 0x01) !== 0,
      skinContact: (flags & 0x02) !== 0,
      skinContactSupported: (flags & 0x04) !== 0,
    });
  }
  return { ok: true, timestamp: view.getBigUint64(1, true), samples };
}

/** The intervals worth keeping from some PPI samples, and how many were dropped for each reason. */
export interface UsablePpi {
  intervalsMs: number[];
  dropped: { blocker: number; noContact: number; error: number; range: number };
}

/**
 * Keeps the PPI intervals that can be trusted, oldest first. A sample is dropped, counted under
 * the first reason that applies: blocker set (movement); skin contact supported but absent
 * (Polar's documentation/PPIData.md says to discard both); error estimate over `maxErrorMs`;
 * an interval of 0 ms (`range`), which spans no time. An implausible but measured interval (say
 * 3 s) is kept: it is time that passed, and the HRV maths rejects it and breaks the run there
 * (src/shared/hrv/artifacts.ts) rather than join the beats either side.
 */
export function usablePpiIntervals(samples: readonly PpiSample[], maxErrorMs = 30): UsablePpi {
  const result: UsablePpi = { intervalsMs: [], dropped: { blocker: 0, noContact: 0, error: 0, range: 0 } };
  for (const sample of samples) {
    if (sample.blocker) result.dropped.blocker++;
    else if (sample.skinContactSupported && !sample.skinContact) result.dropped.noContact++;
    else if (sample.errorMs > maxErrorMs) result.dropped.error++;
    else if (sample.ppMs === 0) result.dropped.range++;
    else result.intervalsMs.push(sample.ppMs);
  }
  return result;
}
