import { lazyPart } from '../ui/lazy';
import { ScreenHeader } from '../ui/screen-header';

/** The charts load with this screen, not with the first one. */
const TrendsView = lazyPart(
  () => import('../trends/trends-view').then((m) => m.TrendsView),
  'The trends',
  () => (
    <section class="card" aria-live="polite">
      <p class="muted">Loading trends…</p>
    </section>
  ),
);

/** Weeks of morning HRV, resting heart rate and symptoms. */
export function TrendsScreen() {
  return (
    <>
      <ScreenHeader title="Trends">Patterns over days and weeks, to see what goes with what.</ScreenHeader>
      <p class="report-link">
        <a class="button" href="/report">
          Report for your doctor (PDF)
        </a>
      </p>
      <TrendsView />
    </>
  );
}
