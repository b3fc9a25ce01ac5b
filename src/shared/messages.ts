import type { TransferState } from './backup';
import type { DayKey } from './days';
import type { ExportFile, ExportFormat } from './export/protocol';
import type { WearDay } from './pacing/learned-zones';
import type { ZoneBounds } from './pacing/zones';
import type { PageDrawing } from './report/drawing';
import type { ReportOptions } from './report/options';
import type { SyncLogEntry } from './sync/sync-store';
import type { DayFigures } from './trends/day-load';
import type { DayLoadSummary, DayRow } from './trends/day-rows';
import type { ChartSeries } from './trends/downsample';

/**
 * Every message that crosses a boundary inside the browser, defined once and side by side:
 * page ↔ service worker, page ↔ each Web Worker (sync, trends, backup, export, report), and the
 * payloads of the BroadcastChannels (their names are in names.ts). Every handler is an
 * exhaustive `switch` ending in `assertNever`.
 */

/** Page → service worker. */
export type PageToServiceWorker =
  /** Sent by workbox-window's `messageSkipWaiting()` when the user accepts an update. */
  { type: 'SKIP_WAITING' };

/** Narrowing guard for `message` events whose data came from another context. */
export function isPageToServiceWorker(data: unknown): data is PageToServiceWorker {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';
}

/** Page → sync Web Worker. */
export type SyncWorkerRequest = { type: 'RUN_SYNC'; trigger: 'page' | 'manual'; requestId: number };

/** Sync Web Worker → page. */
export type SyncWorkerResponse = { type: 'SYNC_RESULT'; requestId: number; entry: SyncLogEntry };

/** Broadcast on `CHANNELS.syncRuns` by whoever ran a sync (page, sync worker or service worker). */
export type SyncBroadcast = { type: 'SYNC_FINISHED'; entry: SyncLogEntry };

/** Broadcast on `CHANNELS.docs` after a document was saved on this device (src/db/docs.ts). */
export type DocsBroadcast = { type: 'DOC_SAVED'; kind: string; id: string };

// Page ↔ backup Web Worker (src/workers/backup-worker.ts).

/** Page → backup worker. */
export type BackupWorkerRequest =
  /** Pack every local record into an archive and store it in the transfer record. */
  | { type: 'PACK'; transferId: string }
  /** Download (resuming with Range) and import a stored archive; the page calls this only without Background Fetch. */
  | { type: 'DOWNLOAD'; transferId: string }
  | { type: 'CANCEL'; transferId: string };

/** Backup worker → page. */
export type BackupWorkerResponse =
  | { type: 'PROGRESS'; transferId: string; bytesDone: number; bytesTotal: number | null; records: number }
  | { type: 'FINISHED'; transferId: string; state: TransferState; error: string | null };

/** Broadcast on `CHANNELS.transfers` by whoever changed a transfer record (page, worker, service worker). */
export type TransferBroadcast = { type: 'TRANSFER_CHANGED'; transferId: string };

// Page ↔ export Web Worker (src/workers/export-worker.ts).

/** Page → export worker. */
export type ExportWorkerRequest = { type: 'EXPORT'; jobId: string; format: ExportFormat; now: number } | { type: 'CANCEL'; jobId: string };

export type ExportWorkerResponse<B> =
  /** `done` of `total` minutes of recording written. */
  | { type: 'PROGRESS'; jobId: string; done: number; total: number }
  | { type: 'DONE'; jobId: string; files: ExportFile<B>[] }
  | { type: 'FAILED'; jobId: string; aborted: boolean; message: string };

// Page ↔ report Web Worker (src/workers/report-worker.ts): it reads IndexedDB, lays the report
// out and writes the PDF; nothing leaves the device.

/** Page → report worker. */
export type ReportWorkerRequest =
  | { type: 'BUILD_REPORT'; jobId: string; options: ReportOptions; madeAt: number }
  | { type: 'CANCEL'; jobId: string };

/** Report worker → page; `B` is Blob (the shared folder compiles without the DOM's types). */
export type ReportWorkerResponse<B> =
  | {
      type: 'REPORT_READY';
      jobId: string;
      /** The PDF, `application/pdf`. */
      pdf: B;
      /** Also the document's title. */
      fileName: string;
      pages: number;
      /** Page one as drawn into the PDF, for the preview. */
      firstPage: PageDrawing;
    }
  | { type: 'FAILED'; jobId: string; aborted: boolean; code: ReportErrorCode; message: string };

export type ReportErrorCode = 'bad-request' | 'storage' | 'internal';

// Page ↔ trends Web Worker (src/workers/trends-worker.ts): it reads IndexedDB, aggregates day
// by day and downsamples; the page only draws.

/** Page → trends worker. A new request of a kind supersedes (cancels) the previous one of that kind. */
export type TrendsRequest =
  /** The daily rows for `days` local days ending with `lastDay`. */
  | { type: 'DAILY'; requestId: number; lastDay: DayKey; days: number }
  /** One local day of heart rate, downsampled to `buckets` (the plot's width in device pixels). */
  | { type: 'DAY_CHART'; requestId: number; day: DayKey; buckets: number }
  /** Each of `days` local days ending with `lastDay` reduced to its wear and percentiles, for learned zones. */
  | { type: 'WEAR_DAYS'; requestId: number; lastDay: DayKey; days: number }
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
  /** The days that had plausible readings, oldest first (src/shared/pacing/learned-zones.ts). */
  | { type: 'WEAR_DAYS_DATA'; requestId: number; days: WearDay[] }
  | { type: 'FAILED'; requestId: number; code: TrendsErrorCode; message: string };

/** A stored document that did not parse: left out of the trends, and said so. */
export interface SkippedDoc {
  key: string;
  reason: string;
}

export type TrendsErrorCode = 'bad-request' | 'storage' | 'internal';
