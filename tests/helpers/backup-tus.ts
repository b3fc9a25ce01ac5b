import { pathOf } from '../../src/shared/routes';

/**
 * A minimal tus 1.0.0 client for server tests: every byte it sends is counted, so a test can
 * show that a resumed upload never starts over.
 */
export class TusTestClient {
  /** Body bytes sent in PATCH requests, including any lost to a cut connection. */
  sent = 0;
  url: string | null = null;

  constructor(
    private baseUrl: string,
    private readonly token: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'tus-resumable': '1.0.0', authorization: `Bearer ${this.token}`, ...extra };
  }

  async create(length: number, metadata: Record<string, string>): Promise<Response> {
    const encoded = Object.entries(metadata)
      .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
      .join(',');
    const response = await fetch(`${this.baseUrl}${pathOf('tusCreate')}`, {
      method: 'POST',
      headers: this.headers({ 'upload-length': String(length), 'upload-metadata': encoded }),
    });
    const location = response.headers.get('location');
    if (location) this.url = new URL(location, this.baseUrl).pathname;
    return response;
  }

  async offset(): Promise<Response> {
    const head = () => fetch(`${this.baseUrl}${this.url}`, { method: 'HEAD', headers: this.headers() });
    // After a server restart the first request may go out on a pooled connection the old
    // server closed; a browser retries that by itself, and so does this.
    return head().catch(head);
  }

  async patch(offset: number, bytes: Uint8Array): Promise<Response> {
    this.sent += bytes.length;
    return fetch(`${this.baseUrl}${this.url}`, {
      method: 'PATCH',
      headers: this.headers({ 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }),
      body: new Uint8Array(bytes),
    });
  }

  /**
   * Starts a PATCH that sends `sendBytes` of `bytes`, then cuts the connection (as a dropped
   * network or a killed server would), before the server has the whole chunk.
   */
  async patchCutAfter(offset: number, bytes: Uint8Array, sendBytes: number, onSent: () => Promise<void>): Promise<void> {
    const controller = new AbortController();
    let pushed = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        if (pushed >= sendBytes) {
          await onSent();
          controller.abort();
          return;
        }
        const piece = bytes.subarray(pushed, Math.min(sendBytes, pushed + 64 * 1024));
        pushed += piece.length;
        stream.enqueue(piece);
      },
    });
    const attempt = fetch(`${this.baseUrl}${this.url}`, {
      method: 'PATCH',
      headers: this.headers({ 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }),
      body,
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit);
    await attempt.then(
      () => undefined,
      () => undefined,
    );
    this.sent += pushed;
  }
}
