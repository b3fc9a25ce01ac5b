import { ScreenHeader } from '../ui/screen-header';

/** Live heart rate from the armband (filled in by the armband feature). */
export function TodayScreen() {
  return (
    <>
      <ScreenHeader title="Today" />
      <section class="card hero" aria-labelledby="live-hr">
        <h2 id="live-hr" class="card-title">
          Heart rate
        </h2>
        <p class="big-number" aria-live="polite">
          <span class="value">--</span> <span class="unit">bpm</span>
        </p>
        <p class="muted">No armband connected.</p>
      </section>
    </>
  );
}
