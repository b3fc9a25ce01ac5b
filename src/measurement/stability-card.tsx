import { useEffect, useState } from 'preact/hooks';
import { loadCheckIns } from '../checkin/check-in-store';
import { type StabilityResult, stabilityScore } from '../shared/hrv/stability';
import { stabilityInputFor } from '../shared/stability-input';
import { lastRun } from '../sync/sync-client';
import { loadMeasurements } from './measurement-store';

/** What each score means, in a sentence. */
const MEANINGS: Record<1 | 2 | 3 | 4 | 5, string> = {
  5: 'As steady as you usually are.',
  4: 'A little off your usual.',
  3: 'Noticeably off your usual: pace carefully today.',
  2: 'Well off your usual: keep today light.',
  1: 'Far off your usual: take today very gently.',
};

type Loaded =
  | { kind: 'loading' }
  | { kind: 'no-reading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; result: StabilityResult };

/** Computes the morning stability score for `date` from stored readings and check-ins. */
async function scoreFor(date: string): Promise<Loaded> {
  const [{ measurements }, { checkIns }] = await Promise.all([loadMeasurements(), loadCheckIns()]);
  const input = stabilityInputFor(date, measurements, checkIns);
  return input ? { kind: 'ready', result: stabilityScore(input) } : { kind: 'no-reading' };
}

/**
 * The morning stability score (1–5) for `date`, with the factors that pulled it down, or how
 * many more mornings the baseline needs. `version` changes when the caller saved something new.
 */
export function StabilityCard({ date, version = 0 }: { date: string; version?: number }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const syncRun = lastRun.value;
  useEffect(() => {
    let live = true;
    scoreFor(date).then(
      (next) => live && setLoaded(next),
      (error: unknown) => live && setLoaded({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [date, version, syncRun]);

  if (loaded.kind === 'loading' || loaded.kind === 'no-reading') return null;
  return (
    <section class="card stability-card" aria-labelledby="stability-title" data-testid="stability-card">
      <h2 id="stability-title" class="card-title">
        Morning stability
      </h2>
      {loaded.kind === 'error' && <p class="error">Could not work out the score: {loaded.message}</p>}
      {loaded.kind === 'ready' && <StabilityBody result={loaded.result} />}
    </section>
  );
}

function StabilityBody({ result }: { result: StabilityResult }) {
  if (!result.ready) {
    const n = result.morningsNeeded;
    return (
      <p data-testid="stability-pending">
        <strong>
          {n} more {n === 1 ? 'morning' : 'mornings'} until a baseline.
        </strong>{' '}
        <span class="muted">
          The score compares each morning with your own normal, so it needs a few readings first ({result.mornings} so far).
        </span>
      </p>
    );
  }
  return (
    <>
      <p class="stability-score" data-testid="stability-score">
        <span class="figure-value">{result.score}</span>
        <span class="figure-unit"> of 5</span>
      </p>
      <div class="stability-scale" aria-hidden="true">
        {[1, 2, 3, 4, 5].map((n) => (
          <span key={n} class={n <= result.score ? 'on' : undefined} />
        ))}
      </div>
      <p>{MEANINGS[result.score]}</p>
      {result.factors.length > 0 ? (
        <>
          <h3 class="small-heading">What pulled it down</h3>
          <ul class="stability-factors" data-testid="stability-factors">
            {result.factors.map((f) => (
              <li key={f.code}>
                {f.explanation} <span class="muted small">(−{f.points})</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="muted">Nothing pulled it down: HRV, resting heart rate, sleep and last evening's symptoms are all in your usual range.</p>
      )}
      <p class="muted small">Compared with your last {result.baseline.mornings - 1} mornings.</p>
    </>
  );
}
