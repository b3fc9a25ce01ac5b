import { useEffect, useState } from 'preact/hooks';
import { dayKeyOf } from '../shared/days';
import type { Measurement } from '../shared/measurement';
import { lastRun } from '../sync/sync-client';
import { loadMeasurement } from './measurement-store';
import { StabilityCard } from './stability-card';

/**
 * Today's morning reading: a button to take it, or its RMSSD and resting heart rate, followed
 * by the stability score. Reloads after a sync (a reading taken on another device).
 */
export function MorningCardBody() {
  const date = dayKeyOf(Date.now());
  const [reading, setReading] = useState<Measurement | null | undefined>(undefined);
  const syncRun = lastRun.value;
  useEffect(() => {
    let live = true;
    loadMeasurement(date).then(
      (m) => live && setReading(m),
      () => live && setReading(null),
    );
    return () => {
      live = false;
    };
  }, [date, syncRun]);

  if (reading === undefined) return null;
  return (
    <>
      <section class="card morning-card" aria-labelledby="morning-title" data-testid="morning-card">
        <h2 id="morning-title" class="card-title">
          Morning reading
        </h2>
        {reading ? (
          <div class="morning-summary">
            <p class="morning-figure">
              <span class="figure-value" data-testid="morning-rmssd">
                {reading.rmssd.toFixed(1)}
              </span>{' '}
              <span class="figure-unit">ms RMSSD</span>
            </p>
            <p class="morning-figure">
              <span class="figure-value">{Math.round(reading.restingHr)}</span> <span class="figure-unit">bpm resting</span>
            </p>
            <a class="button small-button" href="/measure">
              Measure again
            </a>
          </div>
        ) : (
          <>
            <p class="muted">A few minutes lying still after waking shows how much you have in the tank today.</p>
            <a class="button primary big-button" href="/measure">
              Take morning reading
            </a>
          </>
        )}
      </section>
      {reading && <StabilityCard date={date} />}
    </>
  );
}
