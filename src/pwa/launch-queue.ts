/** The Launch Handler API (https://wicg.github.io/web-app-launch/), not yet in TypeScript's DOM lib. */
interface LaunchParams {
  readonly targetURL?: string;
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

/**
 * With `launch_handler: focus-existing` a launch focuses the open window and hands it the URL
 * instead of loading it: a Rest mode shortcut must still reach rest mode. Navigates in-app, so
 * a recording armband keeps going.
 */
export function routeLaunches(): void {
  const queue = (window as { launchQueue?: LaunchQueue }).launchQueue;
  queue?.setConsumer(({ targetURL }) => {
    if (!targetURL) return;
    const target = new URL(targetURL);
    const here = location.pathname + location.search;
    if (target.origin !== location.origin || target.pathname + target.search === here) return;
    history.pushState(null, '', target.pathname + target.search);
    // preact-iso's router follows popstate.
    dispatchEvent(new PopStateEvent('popstate'));
  });
}
