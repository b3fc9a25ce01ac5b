import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

/** What a push service answered. */
export interface PushResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The first KiB of the body: push services explain refusals there (`{"reason":"BadJwtToken"}`). */
  body: string;
}

/** A request that got no answer: `code` is `TIMEOUT` or the socket's error code. */
export class PushTransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PushTransportError';
  }
}

export interface PushTransportOptions {
  /** Per request, connection included. */
  timeoutMs: number;
  /** Sockets per push-service host. */
  maxSockets: number;
  /** PEM trusted besides the system store (PUSH_EXTRA_CA_FILE). */
  extraCa?: string | Buffer;
}

const BODY_KEPT = 1024;

/**
 * HTTPS POSTs to push services over one keep-alive agent, so a burst to FCM reuses a few TLS
 * connections instead of a handshake per push. Redirects are never followed (`https.request`
 * does not), and every request has a deadline.
 */
export class PushTransport {
  readonly #agent: https.Agent;
  readonly #timeoutMs: number;

  constructor({ timeoutMs, maxSockets, extraCa }: PushTransportOptions) {
    this.#timeoutMs = timeoutMs;
    this.#agent = new https.Agent({
      keepAlive: true,
      maxSockets,
      maxFreeSockets: maxSockets,
      scheduling: 'lifo',
      // One secure context for every connection: a `ca` option would re-parse ~140 roots per handshake.
      ...(extraCa ? { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, extraCa.toString()] }) } : {}),
    });
  }

  post(endpoint: string, headers: OutgoingHttpHeaders, body: Buffer | null, signal?: AbortSignal): Promise<PushResponse> {
    return new Promise((resolve, reject) => {
      const request = https.request(endpoint, { method: 'POST', headers, agent: this.#agent, signal }, (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < BODY_KEPT) chunks.push(chunk.subarray(0, BODY_KEPT - kept));
          kept += chunk.length;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (error) => reject(transportError(error)));
      });
      // One deadline for connect + TLS + answer; a socket-idle timeout alone would let a trickle hang forever.
      const timer = setTimeout(
        () => request.destroy(new PushTransportError('TIMEOUT', `no answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
      request.on('close', () => clearTimeout(timer));
      request.on('error', (error) => reject(transportError(error)));
      request.end(body ?? undefined);
    });
  }

  /** Closes pooled connections; requests still running fail. */
  close(): void {
    this.#agent.destroy();
  }
}

function transportError(error: Error): Error {
  if (error instanceof PushTransportError || error.name === 'AbortError') return error;
  const code = (error as NodeJS.ErrnoException).code ?? 'NETWORK';
  return new PushTransportError(code, error.message, { cause: error });
}
