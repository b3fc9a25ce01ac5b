/**
 * When rest mode asks for the Screen Wake Lock (https://w3c.github.io/screen-wake-lock/): pure,
 * so the owner (wake-lock.ts) only does what this says. The browser releases the lock whenever
 * the page is hidden, and refuses a request from a hidden page, so the lock is asked for again
 * each time the page becomes visible, and never in a loop while it is refused.
 */

/** Where the lock stands, as rest mode shows it. */
export type WakeState =
  | { kind: 'unsupported' }
  | { kind: 'idle' }
  | { kind: 'acquiring' }
  | { kind: 'held' }
  /** Released because the page was hidden: asked for again when it is visible. */
  | { kind: 'paused' }
  /** Released or refused while visible (battery saver, a system setting): retried on the next visit. */
  | { kind: 'lost'; reason: string };

/** What happened to the page or to the lock. */
export type WakeEvent =
  | { type: 'start'; supported: boolean; visible: boolean }
  | { type: 'visible' }
  | { type: 'hidden' }
  | { type: 'acquired' }
  | { type: 'released'; visible: boolean }
  | { type: 'refused'; reason: string; visible: boolean };

/** The next state, and whether to request the lock now. */
export interface WakeStep {
  state: WakeState;
  acquire: boolean;
}

const stay = (state: WakeState): WakeStep => ({ state, acquire: false });
const acquire: WakeStep = { state: { kind: 'acquiring' }, acquire: true };

/** One transition of the rest-mode wake lock. */
export function wakeStep(state: WakeState, event: WakeEvent): WakeStep {
  if (state.kind === 'unsupported') return stay(state);
  switch (event.type) {
    case 'start':
      if (!event.supported) return stay({ kind: 'unsupported' });
      return event.visible ? acquire : stay({ kind: 'paused' });
    case 'visible':
      // A request already out or a lock already held needs nothing more.
      return state.kind === 'paused' || state.kind === 'lost' ? acquire : stay(state);
    case 'hidden':
      // The browser releases a held lock itself; the 'released' event follows.
      return state.kind === 'lost' ? stay({ kind: 'paused' }) : stay(state);
    case 'acquired':
      return stay({ kind: 'held' });
    case 'released':
      if (state.kind === 'idle') return stay(state);
      return stay(event.visible ? { kind: 'lost', reason: 'The browser let the screen lock go.' } : { kind: 'paused' });
    case 'refused':
      return stay(event.visible ? { kind: 'lost', reason: event.reason } : { kind: 'paused' });
  }
}
