import { useEffect, useState } from 'preact/hooks';
import { armbandState, liveReading } from '../armband/live-state';
import { ArmbandActions } from '../armband/ui/armband-actions';
import { describeState } from '../armband/ui/describe-state';
import { ScreenHeader } from '../ui/screen-header';
import { describeWake } from './describe-wake';
import type { WakeState } from './wake-decision';
import { holdScreenAwake } from './wake-lock';

/** The class on <html> that darkens the whole page and hides the navigation (app.css). */
const RESTING_CLASS = 'resting';

/**
 * Rest mode: a dark, calm screen with the heart rate large and one way out, kept on by the
 * Screen Wake Lock so the page (and its Bluetooth link) stays alive while the wearer rests.
 */
export function RestScreen() {
  const [wake, setWake] = useState<WakeState>({ kind: 'idle' });
  useEffect(() => {
    const lifetime = new AbortController();
    holdScreenAwake(lifetime.signal, setWake);
    document.documentElement.classList.add(RESTING_CLASS);
    return () => {
      lifetime.abort();
      document.documentElement.classList.remove(RESTING_CLASS);
    };
  }, []);

  const state = armbandState.value;
  const reading = liveReading.value;
  const recording = state.kind === 'streaming' || state.kind === 'reconnecting';
  return (
    <section class="rest" aria-labelledby="rest-title" data-testid="rest-mode">
      <ScreenHeader title="Rest mode" />
      {/* Not aria-live, as on Today: a number read out every second would never let anyone rest. */}
      <p class={`rest-bpm${state.kind === 'streaming' ? '' : ' stale'}`} data-testid="rest-bpm">
        <span class="rest-bpm-value">{reading && recording ? reading.bpm : '--'}</span> <span class="rest-bpm-unit">bpm</span>
      </p>
      <p class="rest-line" data-testid="rest-armband">
        {describeState(state)}
      </p>
      {!recording && <ArmbandActions />}
      <p role="status" class="rest-line" data-testid="rest-wake" data-state={wake.kind}>
        {describeWake(wake)}
      </p>
      <p class="rest-line rest-note">
        Keep Steady on screen. If you switch to another app or lock the phone, the browser stops the armband within a minute or so; Steady
        reconnects when you come back and marks the gap.
      </p>
      <p class="rest-leave">
        <a class="button" href="/">
          Leave rest mode
        </a>
      </p>
    </section>
  );
}
