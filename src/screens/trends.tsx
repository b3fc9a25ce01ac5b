import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ScreenHeader } from '../ui/screen-header';

/** Weeks of morning HRV, resting heart rate and symptoms. The charts load with this screen, not with the first one. */
export function TrendsScreen() {
  const [View, setView] = useState<FunctionComponent | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('../trends/trends-view').then(
      ({ TrendsView }) => setView(() => TrendsView),
      () => setFailed(true),
    );
  }, []);
  return (
    <>
      <ScreenHeader title="Trends">Patterns over days and weeks, to see what goes with what.</ScreenHeader>
      {View ? (
        <View />
      ) : (
        <section class="card" aria-live="polite">
          <p class="muted">{failed ? 'The trends could not load. Reload the page to try again.' : 'Loading trends…'}</p>
        </section>
      )}
    </>
  );
}
