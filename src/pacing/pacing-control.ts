import type { PacingMonitor } from './pacing-monitor';

let loading: Promise<PacingMonitor> | null = null;
const lifetime = new AbortController();

/**
 * Starts the page's one pacing monitor on first call (later calls return the same one). Its code
 * (the detector, the budget, IndexedDB reads) loads after the first screen, like the armband's.
 * Once started it runs for the page's life, on every screen.
 */
export function startPacing(): Promise<PacingMonitor> {
  loading ??= import('./pacing-monitor').then(({ startPacingMonitor }) => startPacingMonitor(lifetime.signal));
  return loading;
}
