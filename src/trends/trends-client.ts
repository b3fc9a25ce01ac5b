import type { TrendsRequest, TrendsResponse } from '../shared/trends-messages';

type Response<T extends TrendsResponse['type']> = Extract<TrendsResponse, { type: T }>;
type Listener = (message: TrendsResponse) => void;

type Lane = 'daily' | 'day';
const workers = new Map<Lane, Worker>();
let nextRequestId = 1;
const listeners = new Map<number, Listener>();

/**
 * The trends Web Workers, started on first use; this module is their only owner. Two of the same
 * worker: the daily rows (which may go on counting days from their samples) in one, the 24-hour
 * chart in the other, so opening a day never waits behind a long count.
 */
function trendsWorker(lane: Lane): Worker {
  let worker = workers.get(lane);
  if (!worker) {
    worker = new Worker(new URL('../workers/trends-worker.ts', import.meta.url), { type: 'module', name: `steady-trends-${lane}` });
    worker.addEventListener('message', (event: MessageEvent<TrendsResponse>) => listeners.get(event.data.requestId)?.(event.data));
    workers.set(lane, worker);
  }
  return worker;
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
): Promise<Response<'DAILY_ROWS'>> {
  return send('daily', body, signal, (message, resolve) => {
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

function send<T>(
  lane: Lane,
  body: RequestBody<'DAILY'> | RequestBody<'DAY_CHART'>,
  signal: AbortSignal,
  handle: (message: TrendsResponse, resolve: (value: T) => void) => void,
): Promise<T> {
  const requestId = nextRequestId++;
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      listeners.delete(requestId);
      signal.removeEventListener('abort', abort);
    };
    const abort = () => {
      done();
      workers.get(lane)?.postMessage({ type: 'CANCEL', requestId } satisfies TrendsRequest);
      reject(signal.reason);
    };
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    listeners.set(requestId, (message) => {
      if (message.type === 'FAILED') {
        done();
        reject(new TrendsError(message.code, message.message));
        return;
      }
      handle(message, (value) => {
        done();
        resolve(value);
      });
    });
    trendsWorker(lane).postMessage({ ...body, requestId } as TrendsRequest);
  });
}
