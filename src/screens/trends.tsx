import { ScreenHeader } from '../ui/screen-header';

/** Weeks of morning HRV, resting heart rate and symptoms. */
export function TrendsScreen() {
  return (
    <>
      <ScreenHeader title="Trends">Patterns over days and weeks.</ScreenHeader>
      <section class="card">
        <p class="muted">Trends appear after a few days of readings.</p>
      </section>
    </>
  );
}
