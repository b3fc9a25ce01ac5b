import { useEffect, useState } from 'preact/hooks';
import { account, defaultDeviceName, describe, joinAccount } from '../account/account';
import { api } from '../api/api';
import { ArmbandCapabilitiesCard } from '../armband/ui/capabilities-card';
import { TransfersSection } from '../backup/transfers-section';
import { PacingSettingsCard } from '../pacing/pacing-settings-card';
import { PushCard } from '../push/push-card';
import { BackgroundCapabilitiesCard } from '../pwa/background-capabilities-card';
import { workerState } from '../pwa/registration';
import type { DeviceInfo, ListDevicesResponse } from '../shared/api';
import { normaliseSyncCode } from '../shared/api';
import { APP_VERSION } from '../shared/version';
import { ScreenHeader } from '../ui/screen-header';
import { YourDataCard } from '../your-data/your-data-card';

/** Account, devices, sync code, and what this browser can do. */
export function SettingsScreen() {
  return (
    <>
      <ScreenHeader title="Settings" />
      <SyncCodeCard />
      <DevicesCard />
      <JoinCard />
      <PushCard />
      <PacingSettingsCard />
      <ArmbandCapabilitiesCard />
      <BackgroundCapabilitiesCard />
      <TransfersSection />
      <YourDataCard />
      <AboutCard />
    </>
  );
}

function SyncCodeCard() {
  const state = account.value;
  return (
    <section class="card" aria-labelledby="sync-code-title">
      <h2 id="sync-code-title" class="card-title">
        Your sync code
      </h2>
      {state.kind === 'ready' && state.credentials.syncCode ? (
        <>
          <p class="sync-code" data-testid="sync-code">
            {state.credentials.syncCode}
          </p>
          <p class="muted">Enter this code on another phone, tablet or computer to share your data with it. Keep it private.</p>
        </>
      ) : (
        <p class="muted">
          {state.kind === 'ready'
            ? 'Shown on the device that created the account.'
            : 'Your code appears once this device has reached the server.'}
        </p>
      )}
    </section>
  );
}

function DevicesCard() {
  const state = account.value;
  const token = state.kind === 'ready' ? state.credentials.deviceToken : null;
  const [devices, setDevices] = useState<DeviceInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    api<ListDevicesResponse>({ path: '/api/devices', token, signal: controller.signal }).then(
      (answer) => {
        setDevices(answer.devices);
        setError(null);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) setError(describe(failure));
      },
    );
    return () => controller.abort();
  }, [token, reload]);

  const revoke = async (device: DeviceInfo) => {
    if (!token || !window.confirm(`Remove “${device.name}” from your account? It will stop syncing.`)) return;
    try {
      await api({ method: 'DELETE', path: `/api/devices/${device.id}`, token });
      setReload((n) => n + 1);
    } catch (failure) {
      setError(describe(failure));
    }
  };

  return (
    <section class="card" aria-labelledby="devices-title">
      <h2 id="devices-title" class="card-title">
        Devices on this account
      </h2>
      {error && <p class="error">Could not load devices: {error}</p>}
      {!devices && !error && <p class="muted">{token ? 'Loading…' : 'Available once this device is set up.'}</p>}
      {devices && (
        <ul class="list">
          {devices.map((device) => (
            <li key={device.id} class="list-row">
              <div>
                <strong>{device.name}</strong>
                {device.current && <span class="pill">this device</span>}
                <div class="muted small">Last seen {device.lastSeenAt ? new Date(device.lastSeenAt).toLocaleString() : 'never'}</div>
              </div>
              {!device.current && (
                <button type="button" class="button danger" onClick={() => revoke(device)}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function JoinCard() {
  const [code, setCode] = useState('');
  const [status, setStatus] = useState<{ kind: 'idle' | 'busy' | 'done' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const submit = async (event: Event) => {
    event.preventDefault();
    setStatus({ kind: 'busy' });
    try {
      await joinAccount(normaliseSyncCode(code), defaultDeviceName());
      setStatus({ kind: 'done' });
      setCode('');
    } catch (failure) {
      setStatus({ kind: 'error', message: describe(failure) });
    }
  };
  return (
    <section class="card" aria-labelledby="join-title">
      <h2 id="join-title" class="card-title">
        Join another account
      </h2>
      <p class="muted">Already use Steady on another device? Enter its sync code to share one account.</p>
      <form class="inline-form" onSubmit={submit}>
        <label for="join-code">Sync code</label>
        <input
          id="join-code"
          name="syncCode"
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          placeholder="ABCD-EFGH-JKMN"
          value={code}
          onInput={(event) => setCode(event.currentTarget.value)}
          required
        />
        <button type="submit" class="button primary" disabled={status.kind === 'busy'}>
          Join
        </button>
      </form>
      <p role="status" class={status.kind === 'error' ? 'error' : 'muted'}>
        {status.kind === 'done' && 'Joined. This device now syncs with that account.'}
        {status.kind === 'error' && `Could not join: ${status.message}`}
      </p>
    </section>
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
