import type { ArmbandConnection } from './armband-connection';

let loading: Promise<ArmbandConnection> | null = null;
const lifetime = new AbortController();

/**
 * The armband owner, loaded on first use: its code (Bluetooth, parsers, recorder) stays out of
 * the first screen's JavaScript. main.tsx calls this once at start so a remembered armband
 * reconnects; by the time anyone taps "Connect armband" it is loaded, and the short wait for a
 * cached module stays well within the user gesture's activation window
 * (https://html.spec.whatwg.org/multipage/interaction.html#transient-activation).
 */
export function armband(): Promise<ArmbandConnection> {
  loading ??= import('./armband-runtime').then(({ createArmbandRuntime }) => createArmbandRuntime(lifetime.signal));
  return loading;
}
