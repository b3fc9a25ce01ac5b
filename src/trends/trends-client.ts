import { assertNever } from '../shared/assert-never';
import type { TrendsRequest, TrendsResponse } from '../shared/messages';
import { WORKER_NAMES } from '../shared/names';
import { WorkerClient } from '../ui/worker-client';

type Response<T extends TrendsResponse['type']> = Extract<TrendsResponse, { type: T }>;

/** `analysis`: days of wear, comparisons and the early warning, whose requests must not cancel or wait behind the screen's. */
type Lane = 'daily' | 'day' | 'analysis';
let nextRequestId = 1;

/**
 * The trends Web Workers, started on first use; this module is their only owner. Up to three of
 * the same worker: the daily rows (which may go on counting days from their samples) in one, the
 * 24-hour chart in another, so opening a day never waits behind a long count, and a third for
 * the days of wear for learned zones (read as the app opens), the before/after comparison and
 * the early warning, whose own rows would otherwise cancel the screen's (a new request of a kind
 * supersedes the last of that kind in one worker) or wait behind them.
 */
const workers: Record<Lane, WorkerClient<TrendsRequest, TrendsResponse>> = {
  daily: trendsWorker('daily'),
  day: trendsWorker('day'),
  analysis: trendsWorker('analysis'),
};

function trendsWorker(lane: Lane): WorkerClient<TrendsRequest, TrendsResponse> {
  return new WorkerClient(
    `trends (${lane})`,
    () => new Worker(new URL('../workers/trends-worker.ts', import.meta.url), { type: 'module', name: `${WORKER_NAMES.trends}-${lane}` }),
  );
}

/** A failure the worker reported, with its machine-readable code. */
export class TrendsError extends Error {
  constructor(
    readonly code: Response<'FAILED'>['code'],
    message: string,
  ) {
    super(message);
    this.name = 'TrendsError';
  }
}

type RequestBody<T extends TrendsRequest['type']> = Omit<Extract<TrendsRequest, { type: T }>, 'requestId'>;

/**
 * Asks for daily rows; `onRows` gets every update (documents and remembered days first, then as
 * days are counted). Resolves with the last, checked rows; aborting cancels the work in the worker.
 */
export function requestDaily(
  body: RequestBody<'DAILY'>,
  onRows: (message: Response<'DAILY_ROWS'>) => void,
  signal: AbortSignal,
  lane: 'daily' | 'analysis' = 'daily',
): Promise<Response<'DAILY_ROWS'>> {
  return send(lane, body, signal, (message, resolve) => {
    if (message.type !== 'DAILY_ROWS') return;
    onRows(message);
    if (!message.verifying) resolve(message);
  });
}

/** Asks for one day of downsampled heart rate. */
export function requestDayChart(body: RequestBody<'DAY_CHART'>, signal: AbortSignal): Promise<Response<'DAY_CHART_DATA'>> {
  return send('day', body, signal, (message, resolve) => {
    if (message.type === 'DAY_CHART_DATA') resolve(message);
  });
}

/** Asks for the last days' wear and percentiles, for learned zones. */
export function requestWearDays(body: RequestBody<'WEAR_DAYS'>, signal: AbortSignal): Promise<Response<'WEAR_DAYS_DATA'>> {
  return send('analysis', body, signal, (message, resolve) => {
    if (message.type === 'WEAR_DAYS_DATA') resolve(message);
  });
}

function send<T>(
  lane: Lane,
  body: RequestBody<'DAILY'> | RequestBody<'DAY_CHART'> | RequestBody<'WEAR_DAYS'>,
  signal: AbortSignal,
  handle: (message: TrendsResponse, resolve: (value: T) => void) => void,
): Promise<T> {
  const requestId = nextRequestId++;
  return workers[lane].call<T>(
    { ...body, requestId } as TrendsRequest,
    (message, settle) => {
      if (message.requestId !== requestId) return;
      switch (message.type) {
        case 'FAILED':
          settle.reject(new TrendsError(message.code, message.message));
          break;
        case 'DAILY_ROWS':
        case 'DAY_CHART_DATA':
        case 'WEAR_DAYS_DATA':
          handle(message, settle.resolve);
          break;
        default:
          assertNever(message);
      }
    },
    { signal, cancel: { type: 'CANCEL', requestId } },
  );
}
