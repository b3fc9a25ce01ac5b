import { account } from '../account/account';
import { type PushUiState, pushState, turnOffPush, turnOnPush } from './push-subscription';

const TURN_ON = 'Get updates from your other devices and messages';

/** What the card says in each state, and which button it offers. */
function describeState(state: PushUiState): { text: string; tone: 'muted' | 'ok' | 'warn'; button: 'on' | 'off' | null } {
  switch (state.kind) {
    case 'checking':
      return { text: 'Checking this browser…', tone: 'muted', button: null };
    case 'no-account':
      return { text: 'Available once this device is set up.', tone: 'muted', button: null };
    case 'unsupported':
      return {
        text: 'This browser cannot receive push messages, so the server cannot wake Steady here. Steady falls back to page-driven sync: it syncs whenever you open it, come back online or return to it, and in the background where this browser allows.',
        tone: 'muted',
        button: null,
      };
    case 'off':
      return { text: 'Off. Steady syncs when you open it.', tone: 'muted', button: 'on' };
    case 'denied':
      return {
        text: 'Notifications are blocked for Steady in this browser, so it cannot be woken for updates. To allow them, open the site settings (the icon beside the address), allow notifications for Steady, then come back here.',
        tone: 'warn',
        button: null,
      };
    case 'busy':
      return {
        text:
          state.step === 'asking'
            ? 'Waiting for your answer to the browser’s question…'
            : state.step === 'subscribing'
              ? 'Registering with this browser’s push service…'
              : 'Stopping…',
        tone: 'muted',
        button: null,
      };
    case 'on':
      return {
        text: 'On. When your other devices upload data or a message arrives, Steady updates in the background and tells you what changed.',
        tone: 'ok',
        button: 'off',
      };
    case 'unreachable':
      return {
        text: `This browser could not reach its push service (${state.detail}). Updates are off for now; Steady still syncs whenever you open it. Try again when you are online.`,
        tone: 'warn',
        button: 'on',
      };
    case 'stale':
      return {
        text: `Steady’s server changed its push key and this browser could not renew its subscription (${state.detail}). It tries again each time you open Steady.`,
        tone: 'warn',
        button: 'on',
      };
    case 'error':
      return { text: `${state.detail}.`, tone: 'warn', button: state.offer };
  }
}

/** Settings card: push updates on this browser, asked for only when the person presses the button. */
export function PushCard() {
  // The re-check runs once the account exists; until then there is nothing to check against.
  const state: PushUiState =
    pushState.value.kind === 'checking' && account.value.kind !== 'ready' ? { kind: 'no-account' } : pushState.value;
  const { text, tone, button } = describeState(state);
  return (
    <section class="card push-card" aria-labelledby="push-title" data-state={state.kind}>
      <h2 id="push-title" class="card-title">
        Updates from your other devices
      </h2>
      <p class="muted">
        Steady can wake on this device when your other devices upload data or a message arrives, and show a short note saying what changed.
        No health data travels in these notes.
      </p>
      <p role="status" aria-live="polite" class={`push-status push-${tone}`} data-testid="push-status">
        {text}
      </p>
      {button === 'on' && (
        <button type="button" class="button primary push-button" onClick={() => void turnOnPush()}>
          {TURN_ON}
        </button>
      )}
      {button === 'off' && (
        <button type="button" class="button push-button" onClick={() => void turnOffPush()}>
          Stop updates
        </button>
      )}
    </section>
  );
}
