import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/api';
import type { DeviceInfo } from '../shared/api';
import { account, describe, noticeRevocation } from './account';

/** The account's devices; removing one locks it out at once. */
export function DevicesCard() {
  const state = account.value;
  const token = state.kind === 'ready' ? state.credentials.deviceToken : null;
  const [devices, setDevices] = useState<DeviceInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    setDevices(null);
    if (!token) return;
    const controller = new AbortController();
    api('listDevices', { token, signal: controller.signal }).then(
      (answer) => {
        setDevices(answer.devices);
        setError(null);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        noticeRevocation(failure, token);
        setError(describe(failure));
      },
    );
    return () => controller.abort();
  }, [token, reload]);

  const revoke = async (device: DeviceInfo) => {
    if (!token || !window.confirm(`Remove “${device.name}” from your account? It stops syncing at once and needs a new code to come back.`))
      return;
    try {
      await api('revokeDevice', { params: { id: device.id }, token });
      setReload((n) => n + 1);
    } catch (failure) {
      noticeRevocation(failure, token);
      setError(describe(failure));
    }
  };

  return (
    <section class="card" aria-labelledby="devices-title">
      <h2 id="devices-title" class="card-title">
        Devices on this account
      </h2>
      {state.kind === 'revoked' ? (
        <p class="error" data-testid="device-revoked">
          This device was removed from the account by another device. It no longer syncs; what you recorded here is kept.
        </p>
      ) : (
        <>
          {error && <p class="error">Could not load devices: {error}</p>}
          {!devices && !error && <p class="muted">{token ? 'Loading…' : 'Available once this device is set up.'}</p>}
        </>
      )}
      {devices && state.kind === 'ready' && (
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
