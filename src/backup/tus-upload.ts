import type { DetailedError, Upload } from 'tus-js-client';
import { type StoredBackupResponse, TUS_CHUNK_BYTES } from '../shared/backup';
import { pathOf } from '../shared/routes';

export interface TusUploadOptions {
  archive: Blob;
  backupId: string;
  sha256: string;
  token: string;
  signal: AbortSignal;
  onProgress: (bytesSent: number, bytesTotal: number) => void;
}

/**
 * Uploads an archive with tus (https://tus.io/protocols/resumable-upload), from the page:
 * where Background Fetch is missing, or after it failed. Resumes instead of starting over —
 * after a dropped connection (retries ask the server for its offset), after a reload (the
 * upload URL is kept under a fingerprint of the archive's SHA-256) and after a server restart
 * (the server keeps partial uploads on disk). Resolves when the server has stored and
 * verified it, with the server's answer to the last PATCH (null when the upload had already
 * finished and only its offset was asked for); rejects with the server's reason otherwise, or
 * with the signal's on abort.
 */
export async function tusUpload(options: TusUploadOptions): Promise<StoredBackupResponse | null> {
  const { signal } = options;
  signal.throwIfAborted();
  // Loaded only when a transfer needs it: most browsers here use Background Fetch.
  const tus = await import('tus-js-client');
  let upload: Upload | null = null;
  const finished = new Promise<StoredBackupResponse | null>((resolve, reject) => {
    upload = new tus.Upload(options.archive, {
      endpoint: pathOf('tusCreate'),
      chunkSize: TUS_CHUNK_BYTES,
      // Enough patience for a server restart or a short outage; after that the user retries (and it resumes).
      retryDelays: [0, 1000, 2000, 4000, 8000, 15_000, 30_000],
      metadata: { backupId: options.backupId, sha256: options.sha256, filename: `steady-${options.backupId}.ndjson.gz` },
      headers: { authorization: `Bearer ${options.token}` },
      // Content-addressed: the same archive resumes its upload, whatever tab or session started it.
      fingerprint: async () => `steady-backup-${options.sha256}`,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: options.onProgress,
      onSuccess: ({ lastResponse }) => resolve(storedBackup(lastResponse.getBody())),
      onError: (error) => reject(describeTusError(error)),
    });
  });
  const current = upload as unknown as Upload;
  const onAbort = () => void current.abort(false);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const [previous] = await current.findPreviousUploads();
    if (previous) current.resumeFromPreviousUpload(previous);
    current.start();
    return await Promise.race([
      finished,
      new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
    ]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function storedBackup(body: string | undefined): StoredBackupResponse | null {
  try {
    return body ? (JSON.parse(body) as StoredBackupResponse) : null;
  } catch {
    return null; // a server before StoredBackupResponse answered the last PATCH with no body
  }
}

/** The server's own message (its JSON error body) rather than tus-js-client's request dump. */
function describeTusError(error: Error | DetailedError): Error {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (!response) return error;
  let message = `HTTP ${response.getStatus()}`;
  try {
    const body = JSON.parse(response.getBody()) as { message?: string };
    if (body.message) message += `: ${body.message}`;
  } catch {
    // not JSON (a tus protocol error): the status says enough
  }
  return Object.assign(new Error(message, { cause: error }), { status: response.getStatus() });
}
