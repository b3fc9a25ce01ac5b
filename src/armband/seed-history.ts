import { openSteadyDb } from '../db/schema';
import { readGaps, readSourceChunks } from '../recording/stored-samples';
import { minuteStartOf } from '../shared/samples';
import { liveHistory } from './live-history';

/** Points the live chart for `sourceId`, and fills in its last minutes from IndexedDB (a reload keeps the chart). */
export async function seedHistory(sourceId: string, now = Date.now()): Promise<void> {
  liveHistory.reset(sourceId);
  const from = now - liveHistory.windowMs;
  try {
    const db = await openSteadyDb();
    const [chunks, gaps] = await Promise.all([readSourceChunks(db, sourceId, minuteStartOf(from), now), readGaps(db, from)]);
    const points = chunks
      .flatMap((chunk) => chunk.offsets.map((offset, i) => ({ t: chunk.minuteStart + offset, bpm: chunk.bpm[i] ?? 0 })))
      .filter((point) => point.t >= from);
    liveHistory.seed(
      sourceId,
      points,
      gaps.filter((gap) => gap.sourceId === sourceId),
    );
  } catch (error) {
    // The chart then starts empty; recording is not affected.
    console.error('Steady: could not load recent samples for the chart', error);
  }
}
