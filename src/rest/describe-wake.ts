import type { WakeState } from './wake-decision';

/** One plain sentence about the screen lock, for rest mode's status line. */
export function describeWake(state: WakeState): string {
  switch (state.kind) {
    case 'unsupported':
      return 'This browser cannot keep the screen on (it has no Screen Wake Lock). Set the screen timeout longer yourself, or the phone may lock and stop the recording.';
    case 'idle':
    case 'acquiring':
      return 'Asking the browser to keep the screen on…';
    case 'held':
      return 'The screen stays on while this page is open.';
    case 'paused':
      return 'Steady is in the background: the screen may turn off. It stays on again when you come back.';
    case 'lost':
      return `The screen may turn off: the browser would not keep it on (${state.reason}). It tries again when you come back to this page.`;
  }
}
