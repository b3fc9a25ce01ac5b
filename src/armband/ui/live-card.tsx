import { detectCapabilities } from '../capabilities';
import { armbandOf, armbandState, batteryLevel, liveReading } from '../live-state';
import { ArmbandActions } from './armband-actions';
import { describeContact, describeState, stateLabel } from './describe-state';
import { LiveChart } from './live-chart';

/**
 * Today's hero: the current heart rate, large, with contact, battery, the connection state,
 * the last five minutes and the actions. Demo data is labelled wherever it shows.
 */
export function LiveCard() {
  const state = armbandState.value;
  const reading = liveReading.value;
  const battery = batteryLevel.value;
  const current = armbandOf(state);
  const demo = current?.demo ?? false;
  const streaming = state.kind === 'streaming';
  return (
    <section class={`card hero live-card${demo ? ' is-demo' : ''}`} aria-labelledby="live-hr">
      <div class="live-head">
        <h2 id="live-hr" class="card-title">
          Heart rate
        </h2>
        {demo && <span class="pill pill-demo">Demo</span>}
        <span class={`pill state-pill state-${state.kind}`} data-testid="armband-state">
          {stateLabel(state)}
        </span>
      </div>
      {/* Not aria-live: a number announced every second would drown everything else out. */}
      <p class={`big-number${streaming ? '' : ' stale'}`} data-testid="live-bpm">
        <span class="value">{reading ? reading.bpm : '--'}</span> <span class="unit">bpm</span>
      </p>
      {reading && (
        <p class="live-facts">
          <span class={reading.contact === false ? 'contact-lost' : undefined} data-testid="live-contact">
            {describeContact(reading.contact)}
          </span>
          {battery !== null && <span data-testid="live-battery">Battery {battery}%</span>}
        </p>
      )}
      <p role="status" class={state.kind === 'failed' ? 'error' : 'muted'} data-testid="armband-status">
        {describeState(state)}
      </p>
      {!detectCapabilities().webBluetooth && !current && (
        <p class="muted small">
          This browser cannot talk to an armband (it has no Web Bluetooth). Chrome or Edge on Android, Windows, macOS or Linux can. The demo
          armband shows how Steady works meanwhile.
        </p>
      )}
      {(current || reading) && <LiveChart demo={demo} />}
      <ArmbandActions />
    </section>
  );
}
