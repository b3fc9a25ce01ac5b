import { account } from '../account/account';
import { acceptUpdate, declineUpdate, updateWaiting } from '../pwa/registration';
import { StorageBanner } from '../storage/storage-card';
import { useOnline } from './use-online';

/** App-wide notices: a new version waiting, offline, first-run account still pending, this device removed. */
export function StatusBanners() {
  const online = useOnline();
  const state = account.value;
  return (
    <div class="banners">
      {updateWaiting.value && (
        <div class="banner banner-update" role="alert">
          <p>A new version of Steady is ready.</p>
          <div class="banner-actions">
            <button type="button" class="button primary" onClick={acceptUpdate}>
              Reload to update
            </button>
            <button type="button" class="button" onClick={declineUpdate}>
              Not now
            </button>
          </div>
        </div>
      )}
      <StorageBanner />
      {!online && (
        <div class="banner banner-offline" role="status">
          <p>You are offline. Everything you record is kept on this device and syncs when you are back online.</p>
        </div>
      )}
      {state.kind === 'revoked' && (
        <div class="banner banner-offline" role="alert" data-testid="revoked-banner">
          <p>
            This device was removed from your account and no longer syncs. Everything recorded here is kept. To sync again,{' '}
            <a href="/settings#join">join with a new code</a> from a device still on the account.
          </p>
        </div>
      )}
      {state.kind === 'creating' && (
        <div class="banner" role="status">
          <p>Setting up sync: waiting for the server (attempt {state.attempt}). Steady works fully meanwhile.</p>
        </div>
      )}
    </div>
  );
}
