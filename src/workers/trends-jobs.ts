import { type DayKey, dayBounds, lastDays } from '../shared/days';
import type { TrendsRequest, TrendsResponse } from '../shared/messages';
import { LEARN_WINDOW_DAYS, type WearDay, wearDayOf } from '../shared/pacing/learned-zones';
import { MINUTE_MS } from '../shared/samples';
import { dayFigures, loadOfDay } from '../shared/trends/day-load';
import { boundsFor, buildDayRows, type DayLoadSummary, realMornings } from '../shared/trends/day-rows';
import { downsampleMinMax } from '../shared/trends/downsample';
import { cachedLoads, entryHolds, storeLoad } from './trends-cache';
import { countChunksOfDays, openSteadyDb, readSamples, readTrendDocs } from './trends-read';

type Post = (message: TrendsResponse) => void;

/** Longest run of counting before the rows known so far go to the page again: charts fill in as it works, without redrawing all the time. */
const PROGRESS_MS = 1_000;

/** The most days one request may ask for: a year, far above the 90 the screen offers. */
const MAX_DAYS = 366;
/** The widest chart asked for: 8K at 2× is still below. */
const MAX_BUCKETS = 16_384;

/**
 * Daily rows, stale-while-revalidate: documents and every cached day's load go out at once (for
 * a returning person, the whole view); then every day's chunks are counted in one transaction and
 * the days whose count or bounds changed (a sync brought data, a new day began) are counted from
 * their samples, newest first (the days a person looks at first), with the rows posted again as
 * they fill in. The last message has `verifying: false`.
 */
export async function dailyJob(request: Extract<TrendsRequest, { type: 'DAILY' }>, post: Post, signal: AbortSignal): Promise<void> {
  if (!Number.isInteger(request.days) || request.days < 1 || request.days > MAX_DAYS)
    throw new RangeError(`days must be a whole number from 1 to ${MAX_DAYS}, got ${request.days}`);
  const days = lastDays(request.lastDay, request.days);
  const db = await openSteadyDb();
  const [{ measurements, checkIns, settings, skipped }, cached] = await Promise.all([
    readTrendDocs(db),
    cachedLoads(days[0]!, days[days.length - 1]!),
  ]);
  const mornings = realMornings(measurements);
  const ranges = days.map((day) => ({ day, bounds: boundsFor(day, mornings, settings), ...dayBounds(day) }));
  const loads = new Map<DayKey, DayLoadSummary>();
  const unknown = new Set<DayKey>();
  for (const { day, bounds } of ranges) {
    const entry = cached.get(day);
    if (!entry || !entryHolds(entry, bounds)) unknown.add(day);
    else if (entry.load && entry.load.recordedMs > 0) loads.set(day, entry.load);
  }
  const send = (verifying: boolean) =>
    post({
      type: 'DAILY_ROWS',
      requestId: request.requestId,
      rows: buildDayRows(days, measurements, checkIns, loads),
      loadsPending: unknown.size,
      verifying,
      dailyPoints: settings.dailyPoints,
      skippedDocs: skipped,
    });
  send(true);

  // One transaction for every day's count: IndexedDB answers them back to back.
  const counts = await countChunksOfDays(
    db,
    ranges.map(({ from, to }) => ({ from: from - MINUTE_MS, to: to + MINUTE_MS })),
  );
  const stale = ranges
    .map((range, i) => ({ ...range, chunkCount: counts[i]! }))
    .filter(({ day, bounds, chunkCount }) => {
      const entry = cached.get(day);
      return !entry || !entryHolds(entry, bounds, chunkCount);
    })
    .reverse();
  let lastSent = performance.now();
  for (const { day, bounds, from, to, chunkCount } of stale) {
    signal.throwIfAborted();
    const load = chunkCount === 0 ? null : loadOfDay(await readSamples(db, from, to), bounds, from, to);
    await storeLoad(day, chunkCount, bounds, load);
    if (load && load.recordedMs > 0) loads.set(day, load);
    else loads.delete(day);
    unknown.delete(day);
    if (performance.now() - lastSent > PROGRESS_MS) {
      send(true);
      lastSent = performance.now();
    }
  }
  send(false);
}

/** One day of heart rate, downsampled to the chart's width, with its figures and load. */
export async function dayChartJob(request: Extract<TrendsRequest, { type: 'DAY_CHART' }>, post: Post, signal: AbortSignal): Promise<void> {
  if (!Number.isInteger(request.buckets) || request.buckets < 1 || request.buckets > MAX_BUCKETS)
    throw new RangeError(`buckets must be a whole number from 1 to ${MAX_BUCKETS}, got ${request.buckets}`);
  const started = performance.now();
  const { from, to } = dayBounds(request.day);
  const db = await openSteadyDb();
  const [samples, docs] = await Promise.all([readSamples(db, from, to), readTrendDocs(db)]);
  signal.throwIfAborted();
  const bounds = boundsFor(request.day, realMornings(docs.measurements), docs.settings);
  const figures = dayFigures(samples, from, to);
  post({
    type: 'DAY_CHART_DATA',
    requestId: request.requestId,
    day: request.day,
    from,
    to,
    series: downsampleMinMax(samples, { from, to, buckets: request.buckets }),
    figures,
    bounds,
    load: figures.samples > 0 ? loadOfDay(samples, bounds, from, to) : null,
    workerMs: performance.now() - started,
  });
}

/**
 * The wear and percentiles of each of the last days (learned-zones.ts), read one day at a time so
 * never more than a day's samples are held. Days without plausible readings are left out.
 */
export async function wearDaysJob(request: Extract<TrendsRequest, { type: 'WEAR_DAYS' }>, post: Post, signal: AbortSignal): Promise<void> {
  if (!Number.isInteger(request.days) || request.days < 1 || request.days > LEARN_WINDOW_DAYS)
    throw new RangeError(`days must be a whole number from 1 to ${LEARN_WINDOW_DAYS}, got ${request.days}`);
  const db = await openSteadyDb();
  const days: WearDay[] = [];
  for (const day of lastDays(request.lastDay, request.days)) {
    signal.throwIfAborted();
    const { from, to } = dayBounds(day);
    const wear = wearDayOf(day, await readSamples(db, from, to, 0));
    if (wear) days.push(wear);
  }
  post({ type: 'WEAR_DAYS_DATA', requestId: request.requestId, days });
}
