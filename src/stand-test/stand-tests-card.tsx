import { useEffect, useRef, useState } from 'preact/hooks';
import { clockText } from '../shared/stand-test/analysis';
import type { StandTestDoc } from '../shared/stand-test/document';
import { LoadFailed, loadOnce, loadThen } from '../ui/lazy';
import type { RisePlot } from './rise-plot';
import { loadStandTests } from './stand-test-store';

const loadPlot = loadOnce(() => import('./rise-plot'));

/** Trends' stand tests: a chart of rises over time and every test in words, newest first. */
export function StandTestsCard() {
  const [tests, setTests] = useState<StandTestDoc[] | null>(null);
  const [failed, setFailed] = useState(false);
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    loadStandTests().then(
      ({ tests }) => setTests(tests),
      () => setTests([]),
    );
  }, []);

  useEffect(() => {
    const element = host.current;
    if (!element || !tests || tests.length === 0) return;
    let plot: RisePlot | null = null;
    let disposed = false;
    loadThen(
      loadPlot,
      ({ createRisePlot }) => {
        if (!disposed) plot = createRisePlot(element, tests);
      },
      () => setFailed(true),
    );
    const resize = new ResizeObserver(() => plot?.resize(element.clientWidth));
    resize.observe(element);
    return () => {
      disposed = true;
      resize.disconnect();
      plot?.destroy();
    };
  }, [tests]);

  return (
    <section class="card trend-card" id="stand-tests" aria-labelledby="stand-tests-title" data-testid="stand-tests">
      <div class="trend-card-head">
        <h2 id="stand-tests-title" class="card-title">
          Stand tests
        </h2>
        <a class="button small-button" href="/stand-test">
          Do a stand test
        </a>
      </div>
      {tests === null ? null : tests.length === 0 ? (
        <p class="muted">No stand tests yet. A 10-minute stand test shows how your heart rate responds to standing up.</p>
      ) : (
        <figure class="trend-chart">
          <div
            ref={host}
            class="trend-plot"
            role="img"
            aria-label="Chart of the sustained heart-rate rise of each stand test, with the threshold dashed; the same figures are listed below"
          />
          <figcaption>
            <ul class="stand-list">
              {[...tests].reverse().map((t) => (
                <li key={t.id} data-testid="stand-test-item">
                  <strong>{new Date(t.startedAt).toLocaleDateString(undefined, { dateStyle: 'medium' })}</strong>: rose {t.riseBpm} bpm (
                  {t.meetsHrCriterion ? 'at or above' : 'below'} the {t.thresholdBpm} bpm threshold), peak at {clockText(t.peakAtS)}
                  {t.hypotension?.meets ? '; blood pressure fell enough to screen for orthostatic hypotension' : ''}
                  {t.bp.length === 0 ? '; heart-rate-only screen' : ''}
                  {t.stop ? `; stopped at ${clockText(t.stoodS)}` : ''}.
                </li>
              ))}
            </ul>
            {failed && <LoadFailed what="This chart">The list above holds every figure.</LoadFailed>}
          </figcaption>
        </figure>
      )}
    </section>
  );
}
