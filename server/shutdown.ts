import type { IncomingMessage, Server } from 'node:http';
import type { RunningServer } from './server';

/**
 * Graceful stop for an instance among several: on SIGTERM (or SIGINT) the server stops taking
 * requests — the listening socket closes, and a request on a connection already open is
 * answered 503 (`return503OnClosing`) so the proxy in front retries it on another instance —
 * while the requests in flight finish and are stored; then the database closes and the process
 * exits 0. Requests still running after `timeoutMs` are cut: they are logged, and the process
 * exits 1. A second signal exits at once.
 */
export function closeOnSignals(server: RunningServer, { timeoutMs }: { timeoutMs: number }): void {
  const inFlight = trackRequests(server.app.server);
  const log = server.app.log;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log.warn({ signal, inFlight: describe(inFlight) }, `${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    log.info({ signal, inFlight: inFlight.size, timeoutMs }, `${signal}: closing, finishing the requests in flight`);
    const deadline = setTimeout(() => {
      log.error({ cut: describe(inFlight) }, `shutdown: ${inFlight.size} requests still running after ${timeoutMs} ms; cutting them`);
      process.exit(1);
    }, timeoutMs);
    server.close().then(
      () => {
        clearTimeout(deadline);
        log.info('closed');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** The requests the HTTP server is answering, each until its response ends or its connection drops. */
function trackRequests(http: Server): Map<IncomingMessage, number> {
  const inFlight = new Map<IncomingMessage, number>();
  http.on('request', (request: IncomingMessage, response) => {
    inFlight.set(request, Date.now());
    response.once('close', () => inFlight.delete(request));
  });
  return inFlight;
}

/** "PUT /api/sync/batches/… (running 1200 ms)" for each: method and path, no query string. */
function describe(inFlight: Map<IncomingMessage, number>): string[] {
  const now = Date.now();
  return [...inFlight].map(([request, since]) => `${request.method} ${request.url?.split('?')[0]} (running ${now - since} ms)`);
}
