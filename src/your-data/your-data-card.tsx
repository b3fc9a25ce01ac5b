import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../backup/format';
import type { ExportFormat } from '../shared/export/protocol';
import { DeleteDialog } from './delete-dialog';
import { exportData, type ReadyFile, releaseFiles } from './export';

type ExportState =
  | { kind: 'idle' }
  | { kind: 'running'; format: ExportFormat; fraction: number }
  | { kind: 'ready'; format: ExportFormat; files: ReadyFile[] }
  | { kind: 'failed'; format: ExportFormat; message: string };

const LABEL: Record<ExportFormat, string> = { csv: 'CSV', json: 'JSON' };

/** Settings → Your data: export everything in open formats, or delete everything. */
export function YourDataCard() {
  const [state, setState] = useState<ExportState>({ kind: 'idle' });
  const [deleting, setDeleting] = useState(false);
  const job = useRef<AbortController | null>(null);
  const files = state.kind === 'ready' ? state.files : null;

  // Object URLs hold the files in memory until revoked: when replaced, and when leaving Settings.
  useEffect(() => () => files && releaseFiles(files), [files]);
  useEffect(() => () => job.current?.abort(), []);

  const start = (format: ExportFormat) => {
    job.current?.abort();
    const controller = new AbortController();
    job.current = controller;
    setState({ kind: 'running', format, fraction: 0 });
    exportData(format, (fraction) => !controller.signal.aborted && setState({ kind: 'running', format, fraction }), controller.signal).then(
      (ready) => {
        if (controller.signal.aborted) return releaseFiles(ready);
        setState({ kind: 'ready', format, files: ready });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ kind: 'failed', format, message: error instanceof Error ? error.message : String(error) });
      },
    );
  };
  const cancel = () => {
    job.current?.abort();
    setState({ kind: 'idle' });
  };
  const running = state.kind === 'running';

  return (
    <section class="card your-data" id="your-data" aria-labelledby="your-data-title">
      <h2 id="your-data-title" class="card-title">
        Your data
      </h2>
      <p class="muted">
        Download everything Steady keeps on this device — heart rate, beat intervals, check-ins, morning measurements, messages — as CSV
        files for a spreadsheet, or as one JSON file.
      </p>
      <div class="button-row">
        <button type="button" class="button primary" disabled={running} onClick={() => start('csv')}>
          Export CSV
        </button>
        <button type="button" class="button" disabled={running} onClick={() => start('json')}>
          Export JSON
        </button>
      </div>
      <div class="export-status" role="status" aria-live="polite">
        {state.kind === 'running' && (
          <>
            <p>
              Preparing {LABEL[state.format]} files… <span class="export-percent">{Math.round(state.fraction * 100)} %</span>
            </p>
            <progress class="transfer-progress" max={1} value={state.fraction} aria-label={`Preparing the ${LABEL[state.format]} export`} />
            <button type="button" class="button small-button" onClick={cancel}>
              Cancel
            </button>
          </>
        )}
        {state.kind === 'failed' && (
          <p class="error">
            The {LABEL[state.format]} export failed: {state.message}
          </p>
        )}
        {state.kind === 'ready' && (
          <p>
            Your {LABEL[state.format]} export is ready: {state.files.length === 1 ? 'one file' : `${state.files.length} files`}.
          </p>
        )}
      </div>
      {state.kind === 'ready' && (
        <ul class="export-files" aria-label={`${LABEL[state.format]} export files`}>
          {state.files.map((file) => (
            <li key={file.name} class="export-file">
              <a class="button small-button" href={file.url} download={file.name}>
                Download {file.name}
              </a>
              <span class="muted small">
                {file.rows.toLocaleString()} {state.format === 'json' ? 'heart-rate readings' : file.rows === 1 ? 'row' : 'rows'} ·{' '}
                {formatBytes(file.bytes)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p class="muted small">
        Each CSV file starts with a row of column names. Times are given in UTC, both as date and time and as milliseconds; demo-armband
        readings are marked in the demo column. Nothing leaves this device until you save a file.
      </p>

      <h3 class="card-subtitle">Delete everything</h3>
      <p class="muted">
        Remove all your data from this device, and if you choose, from the server too. Export first if you want to keep a copy.
      </p>
      <button type="button" class="button danger-solid" onClick={() => setDeleting(true)}>
        Delete everything…
      </button>
      {deleting && <DeleteDialog onClose={() => setDeleting(false)} />}
    </section>
  );
}
