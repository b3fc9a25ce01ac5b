import { type WakeEvent, type WakeState, wakeStep } from './wake-decision';

/**
 * Holds the Screen Wake Lock while `signal` is live: asks for it at once, again each time the
 * page becomes visible (the browser drops it on every hide), and lets it go on abort. Reports
 * each state to `onState`. The one owner of rest mode's lock.
 */
export function holdScreenAwake(signal: AbortSignal, onState: (state: WakeState) => void): void {
  const wakeLock = 'wakeLock' in navigator ? navigator.wakeLock : undefined;
  const visible = () => document.visibilityState === 'visible';
  let state: WakeState = { kind: 'idle' };
  let sentinel: WakeLockSentinel | null = null;

  const dispatch = (event: WakeEvent) => {
    if (signal.aborted) return;
    const step = wakeStep(state, event);
    state = step.state;
    onState(state);
    if (step.acquire && wakeLock) void request(wakeLock);
  };

  const request = async (lock: WakeLock) => {
    try {
      const next = await lock.request('screen');
      if (signal.aborted) {
        await next.release();
        return;
      }
      sentinel = next;
      next.addEventListener('release', () => dispatch({ type: 'released', visible: visible() }), { once: true, signal });
      dispatch({ type: 'acquired' });
    } catch (error) {
      dispatch({ type: 'refused', reason: error instanceof Error ? error.message : String(error), visible: visible() });
    }
  };

  document.addEventListener('visibilitychange', () => dispatch({ type: visible() ? 'visible' : 'hidden' }), { signal });
  signal.addEventListener(
    'abort',
    () => {
      // Already released (page hidden) is not a failure: there is nothing left to let go.
      void sentinel?.release().catch(() => undefined);
    },
    { once: true },
  );
  dispatch({ type: 'start', supported: wakeLock !== undefined, visible: visible() });
}
