import { account } from '../account/account';
import { TransfersSection } from '../backup/transfers-section';
import { retryAttentionItem } from '../db/sync-store';
import type { SyncLogEntry } from '../shared/sync/sync-store';
import { StorageCard } from '../storage/storage-card';
import { backgroundState } from '../sync/background-registration';
import { syncing, syncNow } from '../sync/sync-client';
import { useSyncOverview } from '../sync/sync-overview';
import { ScreenHeader } from '../ui/screen-header';

const TRIGGERS: Record<SyncLogEntry['trigger'], string> = {
  periodicsync: 'Nightly sync (in the background)',
  sync: 'Back online (in the background)',
  push: 'Woken by the server',
  page: 'App opened or came back',
  manual: 'You tapped Sync now',
  backgroundfetch: 'Backup or restore (in the background)',
};

const OUTCOMES: Record<SyncLogEntry['outcome'], string> = {
  ok: 'Done',
  'nothing-to-do': 'Up to date',
  offline: 'Offline: will retry',
  'retry-later': 'Server busy: will retry',
  'needs-attention': 'Some data needs attention',
  error: 'Failed',
  'not-signed-in': 'No account yet',
  cancelled: 'Cancelled',
  'server-full': 'Server full: uploads stopped',
};

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function when(t: number): string {
  return new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** What moved between this device and the server, and what ran in the background. */
export function SyncScreen() {
  const [overview, refresh] = useSyncOverview();
  const state = account.value;
  const background = backgroundState.value;
  const latest = overview?.log.find((entry) => entry.trigger !== 'backgroundfetch');
  return (
    <>
      <ScreenHeader title="Sync & background">What ran while Steady was closed, and when.</ScreenHeader>
      <section class="card" aria-labelledby="sync-status">
        <h2 id="sync-status" class="card-title">
          Status
        </h2>
        <dl class="facts">
          <dt>Last successful sync</dt>
          <dd data-testid="last-success">{overview?.lastSuccess ? when(overview.lastSuccess.startedAt) : 'Not yet'}</dd>
          <dt>Waiting to upload</dt>
          <dd data-testid="outbox-size">{overview ? `${overview.outboxSize} ${overview.outboxSize === 1 ? 'record' : 'records'}` : '…'}</dd>
          <dt>Account</dt>
          <dd>
            {state.kind === 'ready'
              ? 'Connected'
              : state.kind === 'creating'
                ? `Waiting for the server (attempt ${state.attempt})`
                : 'Checking…'}
          </dd>
        </dl>
        {latest?.outcome === 'server-full' && (
          <div class="small error" role="alert" data-testid="server-full">
            <p>
              The server holds as many records for your account as it allows, so uploads have stopped. Nothing is lost: everything stays on
              this device and goes up once there is room.
            </p>
            <p>To make room, export your data and delete what you no longer need, or ask whoever runs your server to raise its limit.</p>
            <p>{latest.error}</p>
          </div>
        )}
        <p>
          <button
            type="button"
            class="button primary"
            disabled={syncing.value || state.kind !== 'ready'}
            onClick={() => void syncNow('manual').then(refresh)}
          >
            {syncing.value ? 'Syncing…' : 'Sync now'}
          </button>
        </p>
      </section>

      {overview && overview.attention.length > 0 && (
        <section class="card attention" aria-labelledby="attention-title">
          <h2 id="attention-title" class="card-title">
            Needs attention
          </h2>
          <p class="muted">The server refused these uploads. Nothing was deleted: the data stays on this device until it goes up.</p>
          <ul class="list">
            {overview.attention.map((item) => (
              <li key={item.batchId} class="list-row">
                <div>
                  <strong>{item.records} records</strong> · {when(item.at)}
                  <div class="small error">
                    {item.reason} (HTTP {item.status})
                  </div>
                </div>
                <button type="button" class="button" onClick={() => void retryAttentionItem(item.batchId).then(refresh)}>
                  Retry
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section class="card" aria-labelledby="background-title">
        <h2 id="background-title" class="card-title">
          While Steady is closed
        </h2>
        <ul class="plain">
          <li>
            <strong>Nightly sync: </strong>
            {background.periodicSync.kind === 'active'
              ? 'on. The browser syncs about once a day, even with Steady closed.'
              : background.periodicSync.kind === 'unsupported'
                ? 'not available in this browser. Steady syncs whenever you open it, and the server can wake it with a push.'
                : background.periodicSync.kind === 'not-allowed'
                  ? `off. ${background.periodicSync.why}`
                  : 'checking…'}
          </li>
          <li>
            <strong>Retry when back online: </strong>
            {background.backgroundSync === 'available'
              ? 'on. Uploads that fail offline finish in the background once the network returns.'
              : background.backgroundSync === 'denied'
                ? 'turned off for this site in the browser settings. Uploads finish the next time you open Steady.'
                : 'not available in this browser. Uploads finish the next time you open Steady.'}
          </li>
        </ul>
      </section>

      <StorageCard />

      <TransfersSection actions={false} />

      <section class="card" aria-labelledby="sync-log">
        <h2 id="sync-log" class="card-title">
          Background log
        </h2>
        {!overview || overview.log.length === 0 ? (
          <p class="muted">Nothing has run yet.</p>
        ) : (
          <ol class="list log" data-testid="sync-log">
            {overview.log.map((entry) => (
              <li key={entry.id} class="list-row log-row">
                <div>
                  <strong>{TRIGGERS[entry.trigger]}</strong>
                  <div class="small muted">
                    {when(entry.startedAt)} · {(entry.durationMs / 1000).toFixed(1)} s · ↑ {entry.upRecords} ({formatBytes(entry.upBytes)})
                    · ↓ {entry.downRecords} ({formatBytes(entry.downBytes)})
                  </div>
                  {entry.transfer && (
                    <div class="small muted">
                      {entry.transfer.direction === 'upload' ? 'Backup' : 'Download'}: backgroundfetch{entry.transfer.event}
                    </div>
                  )}
                  {entry.error && <div class="small error">{entry.error}</div>}
                  {entry.lastChance && <div class="small muted">The browser gave up retrying; the next sync carries on.</div>}
                </div>
                <span class={`pill outcome-${entry.outcome}`}>{OUTCOMES[entry.outcome]}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
