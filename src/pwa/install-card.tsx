import { dismissInstall, install, installOffered } from './install-prompt';

/** A quiet offer to install Steady, at the foot of Today; gone for good once answered. */
export function InstallCard() {
  if (!installOffered.value) return null;
  return (
    <section class="card install-card" aria-labelledby="install-title" data-testid="install-card">
      <h2 id="install-title" class="card-title">
        Install Steady
      </h2>
      <p class="muted small">
        Opens from your home screen like an app, works offline, and a long press on its icon goes straight to a check-in, the morning
        reading or rest mode.
      </p>
      <p class="button-row">
        <button type="button" class="button primary" onClick={() => void install()}>
          Install
        </button>
        <button type="button" class="button" onClick={dismissInstall}>
          No thanks
        </button>
      </p>
    </section>
  );
}
