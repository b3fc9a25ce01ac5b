import { useEffect, useState } from 'preact/hooks';
import { type Capability, CapabilityList } from '../../ui/capability-list';
import { detectCapabilities } from '../capabilities';
import { armbandState } from '../live-state';

/** Settings: which Web Bluetooth pieces this browser has, and what Steady does where one is missing. */
export function ArmbandCapabilitiesCard() {
  const caps = detectCapabilities();
  const adapter = useAdapterAvailability();
  const state = armbandState.value;
  const rows: Capability[] = [
    {
      name: 'Web Bluetooth',
      has: caps.webBluetooth,
      use: 'Pairs with your armband and records its heart rate.',
      instead:
        'No armband can connect in this browser. Chrome or Edge on Android, Windows, macOS or Linux can; meanwhile the demo armband shows how Steady works.',
    },
    {
      name: 'getDevices',
      has: caps.getDevices,
      use: 'Finds your armband again after a reload, without asking.',
      instead: 'After a reload Steady shows a Reconnect button: the browser only lets a page reach an armband again after a tap.',
    },
    {
      name: 'watchAdvertisements',
      has: caps.watchAdvertisements,
      use: 'Reconnects as soon as the armband is back in range.',
      instead: 'Steady retries the connection every few seconds (up to every 30 s) while the page is open.',
    },
  ];
  return (
    <section class="card" aria-labelledby="armband-caps-title">
      <h2 id="armband-caps-title" class="card-title">
        Armband
      </h2>
      <CapabilityList rows={rows} testId="armband-capabilities" />
      {caps.webBluetooth && (
        <p class={adapter === false ? 'error' : 'muted small'} data-testid="armband-adapter">
          {adapter === null
            ? 'Checking for a Bluetooth adapter…'
            : adapter
              ? 'A Bluetooth adapter is available.'
              : 'Bluetooth adapter not available: turn Bluetooth on (or plug an adapter in) to connect an armband.'}
        </p>
      )}
      {state.kind === 'failed' && (
        <p class="error" role="alert">
          Last attempt to connect: {state.message}
        </p>
      )}
    </section>
  );
}

/** `navigator.bluetooth.getAvailability()`: false when the machine has no adapter or it is off; null while asking. */
function useAdapterAvailability(): boolean | null {
  const [available, setAvailable] = useState<boolean | null>(null);
  useEffect(() => {
    const bluetooth = navigator.bluetooth;
    if (!bluetooth) return;
    let live = true;
    bluetooth.getAvailability().then(
      (answer) => live && setAvailable(answer),
      () => live && setAvailable(false),
    );
    return () => {
      live = false;
    };
  }, []);
  return available;
}
