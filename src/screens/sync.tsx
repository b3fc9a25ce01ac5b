import { account } from '../account/account';
import { ScreenHeader } from '../ui/screen-header';

/** What moved between this device and the server, and what ran in the background. */
export function SyncScreen() {
  const state = account.value;
  return (
    <>
      <ScreenHeader title="Sync & background">What ran while Steady was closed, and when.</ScreenHeader>
      <section class="card" aria-labelledby="sync-account">
        <h2 id="sync-account" class="card-title">
          Account
        </h2>
        <p>
          {state.kind === 'ready'
            ? 'This device is connected to your Steady account.'
            : state.kind === 'creating'
              ? `Waiting for the server to create your account (attempt ${state.attempt}).`
              : 'Checking…'}
        </p>
      </section>
      <section class="card" aria-labelledby="sync-log">
        <h2 id="sync-log" class="card-title">
          Background log
        </h2>
        <p class="muted">Nothing has run yet.</p>
      </section>
    </>
  );
}
