import { account } from '../account/account';
import { DevicesCard } from '../account/devices-card';
import { JoinCard } from '../account/join-card';
import { PairingCard } from '../account/pairing-card';
import { ArmbandCapabilitiesCard } from '../armband/ui/capabilities-card';
import { TransfersSection } from '../backup/transfers-section';
import { SymptomListCard } from '../checkin/symptom-list-card';
import { EarlyWarningSettingsCard } from '../early-warning/early-warning-settings-card';
import { PacingSettingsCard } from '../pacing/pacing-settings-card';
import { PushCard } from '../push/push-card';
import { BackgroundCapabilitiesCard } from '../pwa/background-capabilities-card';
import { workerState } from '../pwa/registration';
import { APP_VERSION } from '../shared/version';
import { ScreenHeader } from '../ui/screen-header';
import { YourDataCard } from '../your-data/your-data-card';

/** Account and devices (add, remove, join), and what this browser can do. */
export function SettingsScreen() {
  const state = account.value;
  // Keyed by account: after a join the backups card reads the joined account's list, not the old one's.
  const accountId = state.kind === 'loading' || state.kind === 'creating' ? null : state.credentials.accountId;
  return (
    <>
      <ScreenHeader title="Settings" />
      <PairingCard />
      <DevicesCard />
      <JoinCard />
      <PushCard />
      <SymptomListCard />
      <PacingSettingsCard />
      <EarlyWarningSettingsCard />
      <ArmbandCapabilitiesCard />
      <BackgroundCapabilitiesCard />
      <TransfersSection key={accountId ?? 'none'} />
      <YourDataCard />
      <AboutCard />
    </>
  );
}

function AboutCard() {
  const worker = workerState.value;
  return (
    <section class="card" aria-labelledby="about-title">
      <h2 id="about-title" class="card-title">
        About this app
      </h2>
      <dl class="facts">
        <dt>Version</dt>
        <dd>{APP_VERSION}</dd>
        <dt>Offline support</dt>
        <dd>
          {worker.kind === 'active'
            ? 'Ready: Steady works without a connection.'
            : worker.kind === 'registering'
              ? 'Getting ready…'
              : worker.kind === 'unsupported'
                ? 'This browser has no service workers: Steady works only while online here.'
                : `Not available: ${worker.message}`}
        </dd>
      </dl>
    </section>
  );
}
