import type { UnreadableDoc } from '../checkin/check-in-store';
import { docsOfKind, getDoc, saveDoc } from '../db/docs';
import { dayKeyOf } from '../shared/days';
import type { HrvResult } from '../shared/hrv/hrv';
import { type Measurement, parseMeasurement, parseMeasurementDoc } from '../shared/measurement';
import type { Capture } from './capture';

/** Every stored measurement (oldest first) and the docs that could not be read. */
export interface MeasurementList {
  measurements: Measurement[];
  unreadable: UnreadableDoc[];
}

/** The measurement doc for a successful reading, dated by the local day it finished. */
export function toMeasurement(result: Extract<HrvResult, { ok: true }>, capture: Capture): Measurement {
  return {
    date: dayKeyOf(capture.endedAt),
    rmssd: result.rmssd,
    lnRmssd: result.lnRmssd,
    sdnn: result.sdnn,
    restingHr: result.meanHr,
    beats: result.beats,
    correctedShare: result.correctedShare,
    durationS: result.durationS,
    source: { id: capture.source.id, name: capture.source.name, intervalKind: capture.intervalKind, demo: capture.source.demo },
    takenAt: capture.endedAt,
  };
}

/** Saves a reading and queues it for sync in one transaction; validated first, so nothing half-valid is stored. */
export async function saveMeasurement(measurement: Measurement): Promise<void> {
  const parsed = parseMeasurement(measurement);
  if (!parsed.ok) throw new Error(`This reading cannot be saved: ${parsed.reason}`);
  await saveDoc('measurement', parsed.value.date, { ...parsed.value, source: { ...parsed.value.source } }, parsed.value.takenAt);
}

/** One day's reading, if stored and readable. */
export async function loadMeasurement(date: string): Promise<Measurement | null> {
  const doc = await getDoc('measurement', date);
  if (!doc) return null;
  const parsed = parseMeasurementDoc(date, doc.body);
  return parsed.ok ? parsed.value : null;
}

/** Every stored measurement through the validating parser, synced ones included. */
export async function loadMeasurements(): Promise<MeasurementList> {
  const measurements: Measurement[] = [];
  const unreadable: UnreadableDoc[] = [];
  for (const doc of await docsOfKind('measurement')) {
    const parsed = parseMeasurementDoc(doc.id, doc.body);
    if (parsed.ok) measurements.push(parsed.value);
    else unreadable.push({ id: doc.id, reason: parsed.reason });
  }
  measurements.sort((a, b) => a.date.localeCompare(b.date));
  return { measurements, unreadable };
}
