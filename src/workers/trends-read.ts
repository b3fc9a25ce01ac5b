import { openSteadyDb, type SteadyDb } from '../db/schema';
import { type CheckIn, parseCheckInDoc } from '../shared/checkin';
import { type Measurement, parseMeasurementDoc } from '../shared/measurement';
import type { SkippedDoc } from '../shared/messages';
import { PACING_SETTINGS_DOC_ID, type PacingSettings, pacingSettingsFromDoc } from '../shared/pacing/settings';
import { MINUTE_MS, type SampleChunk } from '../shared/samples';
import { columnsFromChunks, type SampleColumns } from '../shared/trends/day-samples';

/** The morning measurements and check-ins, parsed; documents that do not parse are reported, not thrown. */
export async function readTrendDocs(
  db: SteadyDb,
): Promise<{ measurements: Measurement[]; checkIns: CheckIn[]; settings: PacingSettings; skipped: SkippedDoc[] }> {
  const tx = db.transaction('docs');
  const index = tx.store.index('byKind');
  const [measurementDocs, checkInDocs, settingsDoc] = await Promise.all([
    index.getAll('measurement'),
    index.getAll('checkin'),
    tx.store.get(`settings|${PACING_SETTINGS_DOC_ID}`),
  ]);
  const skipped: SkippedDoc[] = [];
  const parsed = <T>(
    docs: typeof measurementDocs,
    parse: (id: string, body: unknown) => { ok: true; value: T } | { ok: false; reason: string },
  ) =>
    docs.flatMap((doc) => {
      const result = parse(doc.id, doc.body);
      if (result.ok) return [result.value];
      skipped.push({ key: doc.key, reason: result.reason });
      return [];
    });
  return {
    measurements: parsed(measurementDocs, parseMeasurementDoc),
    checkIns: parsed(checkInDocs, parseCheckInDoc),
    // Lenient, as the pacing monitor reads it: a bad field takes its default.
    settings: pacingSettingsFromDoc(settingsDoc?.body ?? {}),
    skipped,
  };
}

/**
 * Heart rate of [from, to) as columns, read through the byMinute index one bounded range at a
 * time: a day is ~1,440 chunks, and never more than that is held as records at once. The minute
 * before `from` is included so a sample just before midnight still opens the first span.
 */
export async function readSamples(db: SteadyDb, from: number, to: number, margin = MINUTE_MS): Promise<SampleColumns> {
  const chunks: SampleChunk[] = await db.getAllFromIndex('chunks', 'byMinute', IDBKeyRange.bound(from - margin, to + margin, false, true));
  return columnsFromChunks(chunks, from - margin, to + margin);
}

/**
 * How many chunks start in each [from, to): a cheap fingerprint of whether a day's samples
 * changed. All requests go out at once in one transaction, so IndexedDB answers them back to back.
 */
export function countChunksOfDays(db: SteadyDb, ranges: readonly { from: number; to: number }[]): Promise<number[]> {
  const index = db.transaction('chunks').store.index('byMinute');
  return Promise.all(ranges.map(({ from, to }) => index.count(IDBKeyRange.bound(from, to, false, true))));
}

export { openSteadyDb };
