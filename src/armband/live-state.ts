import { signal } from '@preact/signals';

/**
 * What the armband owner (armband-connection.ts) publishes for the UI. Only the owner writes
 * these signals; screens read them. Kept in this small module so the first screen can render
 * the armband card without loading the Bluetooth and recording code.
 */

/** The armband samples come from; `demo` for the built-in demo armband. */
export interface ArmbandIdentity {
  id: string;
  name: string;
  demo: boolean;
}

/** Why pairing or connecting failed, for the UI to explain. */
export type ArmbandErrorCode = 'no-bluetooth' | 'adapter-unavailable' | 'not-allowed' | 'connect-failed' | 'unknown';

/** The connection lifecycle: idle → requesting → connecting → streaming ⇄ reconnecting → disconnected | failed. */
export type ArmbandState =
  | { kind: 'idle' }
  | { kind: 'requesting' }
  | { kind: 'connecting'; armband: ArmbandIdentity }
  | { kind: 'streaming'; armband: ArmbandIdentity; since: number; intervals: 'rr' | 'ppi' }
  | { kind: 'reconnecting'; armband: ArmbandIdentity; attempt: number; retryAt: number; cause: string }
  /** `user`: stopped on purpose. `needs-gesture`: remembered, but this browser needs a tap to reach it again. */
  | { kind: 'disconnected'; armband: ArmbandIdentity; why: 'user' | 'needs-gesture'; detail: string }
  | { kind: 'failed'; code: ArmbandErrorCode; message: string; armband: ArmbandIdentity | null };

/** The newest reading, as shown large on Today. */
export interface LiveReading {
  t: number;
  bpm: number;
  contact: boolean | null;
  intervalsMs: number[];
  demo: boolean;
}

/** Device Information strings (0x180A); null where the armband does not expose one. */
export interface DeviceDetails {
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
}

/** Counts of what arrived and what was refused, for the diagnostics line. */
export interface Diagnostics {
  /** Values handled: heart rate, PPI frames, battery. */
  received: number;
  /** Samples passed to the recorder. */
  kept: number;
  /** Notifications refused, by reason code. */
  rejected: Record<string, number>;
  /** Readings kept with something dropped (an implausible RR interval, stray bytes). */
  warnings: number;
  /** PPI intervals dropped: movement blocker, no contact, large error, 0 ms. */
  ppiDropped: number;
  /** The most recent problem, in words. */
  last: { at: number; message: string } | null;
}

export const EMPTY_DIAGNOSTICS: Diagnostics = { received: 0, kept: 0, rejected: {}, warnings: 0, ppiDropped: 0, last: null };

export const armbandState = signal<ArmbandState>({ kind: 'idle' });
export const liveReading = signal<LiveReading | null>(null);
export const batteryLevel = signal<number | null>(null);
export const deviceDetails = signal<DeviceDetails | null>(null);
export const diagnostics = signal<Diagnostics>(EMPTY_DIAGNOSTICS);

/** The armband a state is about, if any. */
export function armbandOf(state: ArmbandState): ArmbandIdentity | null {
  return 'armband' in state ? state.armband : null;
}
