import { useEffect, useState } from 'preact/hooks';
import { account, describe } from '../account/account';
import type { Transfer } from '../db/backup-transfers';
import type { BackupInfo } from '../shared/backup';
import { formatBytes, formatDuration } from './format';
import { estimate } from './rate';
import { deleteBackup, refreshServerBackups, serverBackups } from './server-backups';
import { cancelTransfer, retryTransfer } from './transfers-control';
import { downloadHistory, restoreBackup } from './transfers-download';
import { startTransfers } from './transfers-resume';
import { liveProgress, transfers } from './transfers-state';
import { backUpEverything } from './transfers-upload';

/**
 * Backups and restores: start one, and follow every transfer — bytes, percentage, speed, time
 * left, and whether the browser carries it in the background or this tab does. Shown in
 * Settings (with the actions) and on the Sync screen (`actions={false}`).
 */
export function TransfersCard({ actions = true }: { actions?: boolean }) {
  const ready = account.value.kind === 'ready';
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    startTransfers();
    if (location.hash === '#transfers') document.getElementById('transfers')?.scrollIntoView();
  }, []);
  const run = (action: () => Promise<void>) => {
    setError(null);
    action().catch((failure: unknown) => setError(describe(failure)));
  };
  const list = transfers.value;
  const busy = (direction: Transfer['direction']) =>
    list.some((t) => t.direction === direction && (t.state === 'packing' || t.state === 'running' || t.state === 'importing'));
  return (
    <section class="card transfers" id="transfers" aria-labelledby="transfers-title">
      <h2 id="transfers-title" class="card-title">
        Backups and transfers
      </h2>
      {actions && (
        <>
          <p class="muted">
            Keep a copy of everything on this device on your account’s server, or bring your whole history onto this device. Large transfers
            carry on in the background where the browser allows it.
          </p>
          <div class="button-row">
            <button type="button" class="button primary" disabled={!ready || busy('upload')} onClick={() => run(backUpEverything)}>
              Back up everything
            </button>
            <button type="button" class="button" disabled={!ready || busy('download')} onClick={() => run(downloadHistory)}>
              Download my full history
            </button>
          </div>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {list.length === 0 ? (
        <p class="muted small">No backups or downloads yet.</p>
      ) : (
        <ul class="list transfer-list" data-testid="transfers">
          {list.map((transfer) => (
            <TransferRow key={transfer.id} transfer={transfer} onError={setError} />
          ))}
        </ul>
      )}
      {actions && ready && <ServerBackups onError={setError} />}
    </section>
  );
}

const TITLES: Record<Transfer['source'], string> = {
  device: 'Backup of this device',
  history: 'Your full history',
  'stored-backup': 'Restore of a stored backup',
};

function stateLabel(transfer: Transfer): string {
  switch (transfer.state) {
    case 'packing':
      return 'Packing…';
    case 'running':
      return transfer.direction === 'upload' ? 'Uploading…' : 'Downloading…';
    case 'importing':
      return 'Importing…';
    case 'done':
      return 'Done';
    case 'failed':
      return 'Failed';
    case 'aborted':
      return 'Cancelled';
  }
}

function TransferRow({ transfer, onError }: { transfer: Transfer; onError: (message: string) => void }) {
  const live = liveProgress.value[transfer.id];
  const active = transfer.state === 'packing' || transfer.state === 'running' || transfer.state === 'importing';
  const done = active && live ? live.done : transfer.bytesDone;
  const total = (active && live?.total) || transfer.bytesTotal;
  const percent = total ? Math.min(100, Math.floor((done / total) * 100)) : null;
  const { bytesPerSecond, secondsLeft } = estimate(active ? live?.sample : undefined, total);
  const act = (action: (t: Transfer) => Promise<void>) => () =>
    void action(transfer).catch((failure: unknown) => onError(describe(failure)));
  // Browsers count bytes as sent once they are buffered: at 100% the server may still be reading and checking them.
  const confirming = active && total !== null && done >= total;
  const figures = [
    total ? `${formatBytes(done)} of ${formatBytes(total)}` : `${formatBytes(done)} so far`,
    percent !== null ? `${percent}%` : null,
    active && !confirming && bytesPerSecond ? `${formatBytes(Math.round(bytesPerSecond))}/s` : null,
    active && !confirming && secondsLeft !== null ? `${formatDuration(secondsLeft)} left` : null,
    confirming && transfer.direction === 'upload' ? 'waiting for the server to confirm' : null,
  ].filter(Boolean);
  const where =
    transfer.mode === 'background-fetch'
      ? active
        ? 'in the background: carries on if you close Steady'
        : 'in the background'
      : active
        ? 'in this tab: keep Steady open; it resumes where it stopped'
        : 'in this tab';
  return (
    <li class="transfer-row" data-testid="transfer" data-state={transfer.state} data-mode={transfer.mode}>
      <div class="transfer-head">
        <strong>{TITLES[transfer.source]}</strong>
        <span class={`pill transfer-state transfer-state-${transfer.state}`}>{stateLabel(transfer)}</span>
      </div>
      <div class="small muted">
        {new Date(transfer.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} · {where}
      </div>
      {(active || transfer.state === 'failed' || transfer.state === 'aborted') && transfer.state !== 'packing' && (
        <>
          <progress
            class="transfer-progress"
            max={total ?? undefined}
            value={total ? done : undefined}
            aria-label={`${TITLES[transfer.source]}: ${percent ?? 0}%`}
          />
          <div class="small transfer-figures" data-testid="transfer-figures">
            {figures.join(' · ')}
          </div>
        </>
      )}
      {transfer.state === 'packing' && <progress class="transfer-progress" aria-label="Packing the backup" />}
      {transfer.state === 'done' && <Result transfer={transfer} />}
      {transfer.error && <div class="small error">{transfer.error}</div>}
      {(active || transfer.state === 'failed' || transfer.state === 'aborted') && (
        <div class="button-row">
          {active && transfer.state !== 'importing' && (
            <button type="button" class="button small-button" onClick={act(cancelTransfer)}>
              Cancel
            </button>
          )}
          {(transfer.state === 'failed' || transfer.state === 'aborted') && (
            <button type="button" class="button small-button" onClick={act(retryTransfer)}>
              Retry
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function Result({ transfer }: { transfer: Transfer }) {
  if (transfer.direction === 'upload') {
    const records = transfer.counts ? transfer.counts.chunks + transfer.counts.gaps + transfer.counts.docs : null;
    const removed = transfer.removed ?? [];
    const keep = serverBackups.value?.quota.count;
    return (
      <>
        <div class="small transfer-result" data-testid="transfer-result">
          Stored on the server{records !== null ? ` · ${records.toLocaleString()} records` : ''}
          {transfer.bytesTotal ? ` · ${formatBytes(transfer.bytesTotal)}` : ''}
        </div>
        {removed.length > 0 && (
          <div class="small muted" data-testid="transfer-removed">
            {keep ? `The server keeps your ${keep} newest backups, so it removed` : 'To make room, the server removed'}{' '}
            {removed.map((backup) => `the one of ${when(backup.createdAt)} (${formatBytes(backup.bytes)})`).join(', ')}.
          </div>
        )}
      </>
    );
  }
  const imported = transfer.imported;
  if (!imported) return null;
  const records = imported.chunks + imported.gaps + imported.docs;
  const added = imported.created + imported.merged;
  return (
    <div class="small transfer-result" data-testid="transfer-result">
      {records.toLocaleString()} records: {added.toLocaleString()} new here, {imported.unchanged.toLocaleString()} already here
    </div>
  );
}

function ServerBackups({ onError }: { onError: (message: string) => void }) {
  const listed = serverBackups.value;
  const latest = transfers.value[0];
  // Re-read when a transfer finishes: a backup may just have been stored.
  const finishedAt = latest?.finishedAt ?? 0;
  useEffect(() => {
    refreshServerBackups().catch(() => undefined); // offline: the list just stays as it was
  }, [finishedAt]);
  const backups = listed?.backups.filter((b) => b.kind === 'upload') ?? [];
  if (!listed || backups.length === 0) return null;
  const used = backups.reduce((sum, backup) => sum + backup.bytes, 0);
  const act = (action: (backup: BackupInfo) => Promise<void>, backup: BackupInfo) => () =>
    void action(backup).catch((failure: unknown) => onError(describe(failure)));
  return (
    <div class="server-backups">
      <h3 class="card-subtitle">On the server</h3>
      <p class="small muted" data-testid="backup-quota">
        {formatBytes(used)} of {formatBytes(listed.quota.bytes)} used. The server keeps your {listed.quota.count} newest backups: storing
        another removes the oldest.
      </p>
      <ul class="list">
        {backups.map((backup) => (
          <li key={backup.id} class="list-row">
            <div>
              {when(backup.createdAt)}
              <div class="small muted">{formatBytes(backup.bytes)}</div>
            </div>
            <div class="button-row">
              <button type="button" class="button small-button" onClick={act(restoreBackup, backup)}>
                Restore
              </button>
              <button
                type="button"
                class="button small-button"
                aria-label={`Delete the backup of ${when(backup.createdAt)}`}
                onClick={act(deleteBackup, backup)}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
