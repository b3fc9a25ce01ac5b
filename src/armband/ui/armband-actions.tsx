import { armband } from '../armband-control';
import { detectCapabilities } from '../capabilities';
import { armbandState } from '../live-state';

/** The buttons that fit the connection state: connect, reconnect, demo, stop. */
export function ArmbandActions() {
  const state = armbandState.value;
  const { webBluetooth } = detectCapabilities();
  const current = 'armband' in state ? state.armband : null;
  const active = state.kind === 'connecting' || state.kind === 'streaming' || state.kind === 'reconnecting';
  const needsGesture = state.kind === 'disconnected' && state.why === 'needs-gesture';
  const pair = () => void armband().then((owner) => owner.pair());
  const demo = () => void armband().then((owner) => owner.startDemo());
  const stop = () => void armband().then((owner) => owner.stop());
  return (
    <div class="armband-actions">
      {webBluetooth && needsGesture && (
        <button type="button" class="button primary" onClick={pair}>
          Reconnect
        </button>
      )}
      {webBluetooth && !needsGesture && (!active || current?.demo) && (
        <button type="button" class="button primary" onClick={pair} disabled={state.kind === 'requesting'}>
          Connect armband
        </button>
      )}
      {active && (
        <button type="button" class="button" onClick={stop}>
          {current?.demo ? 'Stop demo' : 'Disconnect'}
        </button>
      )}
      {/* While an armband records, the demo would replace it: offered only when nothing records. */}
      {!active && (
        <button type="button" class={webBluetooth ? 'button' : 'button primary'} onClick={demo}>
          Try the demo armband
        </button>
      )}
    </div>
  );
}
