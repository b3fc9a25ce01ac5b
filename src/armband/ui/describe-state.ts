import type { ArmbandState } from '../live-state';

/** One plain sentence about the connection, for the status line on Today. */
export function describeState(state: ArmbandState): string {
  switch (state.kind) {
    case 'idle':
      return 'No armband connected.';
    case 'requesting':
      return 'Choose your armband in the list the browser shows.';
    case 'connecting':
      return `Connecting to ${state.armband.name}…`;
    case 'streaming':
      return state.armband.demo
        ? 'Recording demo data: synthetic readings, not from a real armband.'
        : `Recording from ${state.armband.name}${state.intervals === 'ppi' ? ' (optical beat intervals)' : ''}.`;
    case 'reconnecting':
      return `Waiting for ${state.armband.name}: reconnecting by itself (attempt ${state.attempt}). Keep this page open and the armband nearby.`;
    case 'disconnected':
      return state.why === 'user' ? `${state.armband.name} is not recording.` : `${state.armband.name} is paired. ${state.detail}`;
    case 'failed':
      return state.message;
  }
}

/** A short label for the connection pill. */
export function stateLabel(state: ArmbandState): string {
  switch (state.kind) {
    case 'idle':
      return 'Not connected';
    case 'requesting':
      return 'Choosing';
    case 'connecting':
      return 'Connecting';
    case 'streaming':
      return 'Recording';
    case 'reconnecting':
      return 'Reconnecting';
    case 'disconnected':
      return 'Disconnected';
    case 'failed':
      return 'Problem';
  }
}

/** What the contact field means for the wearer. */
export function describeContact(contact: boolean | null): string {
  if (contact === null) return 'Contact not reported';
  return contact ? 'Good skin contact' : 'No skin contact: check the strap';
}
