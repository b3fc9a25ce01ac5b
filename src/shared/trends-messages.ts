/**
 * Every message between the page and the trends Web Worker, defined once. The worker reads
 * IndexedDB and does the day-by-day aggregation and the downsampling; the page only draws.
 */

import type { DayKey } from './days';
import type { ZoneBounds } from './pacing/zones';
import type { DayFigures } from './trends/day-load';
import type { DayLoadSummary, DayRow } from './trends/day-rows';
import type { ChartSeries } from './trends/downsample';

/** The trends worker's cache of per-day loads (derived data only); "delete everything" removes it too. */
export const TRENDS_CACHE_DB = 'steady-trends-cache';

/** Page → trends worker. A new request of a kind supersedes (cancels) the previous one of that kind. */
export type TrendsRequest =
  /** The daily rows for `days` local days ending with `lastDay`. */
  | { type: 'DAILY'; requestId: number; lastDay: DayKey; days: number }
  /** One local day of heart rate, downsampled to `buckets` (the plot's width in device pixels). */
  | { type: 'DAY_CHART'; requestId: number; day: DayKey; buckets: number }
  | { type: 'CANCEL'; requestId: number };

/** Trends worker → page. */
export type TrendsResponse =
  /**
   * Rows as far as they are known: documents and remembered days first, then again as days are
   * counted from their samples, until `verifying` is false.
   */
  | {
      type: 'DAILY_ROWS';
      requestId: number;
      rows: DayRow[];
      /** Days whose heart-rate load is not known yet (being counted). */
      loadsPending: number;
      /** True until every day's remembered load has been checked against its stored samples. */
      verifying: boolean;
      /** Pace points available per day (the person's setting). */
      dailyPoints: number;
      skippedDocs: SkippedDoc[];
    }
  | {
      type: 'DAY_CHART_DATA';
      requestId: number;
      day: DayKey;
      from: number;
      to: number;
      series: ChartSeries;
      figures: DayFigures;
      bounds: ZoneBounds;
      load: DayLoadSummary | null;
      /** ms the worker spent (reading, counting, downsampling), for diagnostics and the benchmark. */
      workerMs: number;
    }
  | { type: 'FAILED'; requestId: number; code: TrendsErrorCode; message: string };

/** A stored document that did not parse: left out of the trends, and said so. */
export interface SkippedDoc {
  key: string;
  reason: string;
}

export type TrendsErrorCode = 'bad-request' | 'storage' | 'internal';
