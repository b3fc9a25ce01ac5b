import { armbandState } from '../armband/live-state';

/** Today's one-tap way into rest mode, offered while an armband (or the demo) records. */
export function RestEntry() {
  const { kind } = armbandState.value;
  if (kind !== 'streaming' && kind !== 'reconnecting') return null;
  return (
    <p class="rest-entry">
      <a class="button" href="/rest" data-testid="rest-entry">
        Rest mode
      </a>
      <span class="muted small">A dark screen that stays on while you rest, so the recording keeps going.</span>
    </p>
  );
}
