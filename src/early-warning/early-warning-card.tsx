import { useMemo } from 'preact/hooks';
import { dayKeyOf } from '../shared/days';
import { BASELINE_DAYS, earlyWarning, RECENT_DAYS, type SignalId } from '../shared/trends/early-warning';
import { useAnalysisRows } from '../treatments/use-analysis-rows';
import { useEarlyWarningEnabled } from './early-warning-setting';

const SIGNAL_NAMES: Record<SignalId, string> = {
  hrvLow: 'Morning HRV below your baseline',
  restingHrHigh: 'Resting heart rate above your baseline',
  overBudget: 'Pace points over your daily limit',
};

/** Today's early-warning card, shown only when the person turned it on in Settings. */
export function EarlyWarningCard() {
  const enabled = useEarlyWarningEnabled();
  if (!enabled) return null;
  return <EarlyWarningBody />;
}

function EarlyWarningBody() {
  const today = useMemo(() => dayKeyOf(Date.now()), []);
  const rows = useAnalysisRows({ lastDay: today, days: BASELINE_DAYS + RECENT_DAYS });
  const result = rows.kind === 'ready' ? earlyWarning(rows.rows, rows.dailyPoints) : null;
  return (
    <section
      class="card early-warning"
      aria-labelledby="early-warning-title"
      data-testid="early-warning"
      data-status={result?.status ?? rows.kind}
    >
      <h2 id="early-warning-title" class="card-title">
        Early warning
      </h2>
      {rows.kind === 'loading' && <p class="muted">Reading your last {BASELINE_DAYS + RECENT_DAYS} days…</p>}
      {rows.kind === 'failed' && <p class="error">Could not read your records: {rows.message}</p>}
      {result?.status === 'not-enough-history' && (
        <p>
          Not enough history yet: it compares the last {RECENT_DAYS} days with your own baseline, which needs {result.needed} morning
          measurements in the {BASELINE_DAYS} days before them. You have {result.mornings}.
        </p>
      )}
      {result && result.status !== 'not-enough-history' && (
        <>
          <p class={result.status === 'warning' ? 'warning' : undefined} data-testid="early-warning-verdict">
            {result.status === 'warning'
              ? 'Your last few days look like the run-up to a crash has looked in others: a lighter day or two may help.'
              : 'Nothing stands out in your last few days.'}
          </p>
          <ul class="signal-list">
            {result.signals.map((signal) => (
              <li key={signal.id} data-signal={signal.id} data-counts={signal.counts}>
                <strong>{SIGNAL_NAMES[signal.id]}</strong>: {signal.daysMet} of {signal.daysKnown} day{signal.daysKnown === 1 ? '' : 's'} —{' '}
                {signal.detail}.
              </li>
            ))}
          </ul>
          <p class="muted small">
            Baseline: {result.baseline.mornings} mornings, HRV {result.baseline.rmssdMs} ms, resting heart rate {result.baseline.restingHr}{' '}
            bpm. It warns when HRV is low on 2 of the last 3 mornings together with a high resting heart rate or too much load on 2 of them.
            This is a pattern in your own numbers, not a prediction: it can miss a crash, and most warnings are followed by none.
          </p>
        </>
      )}
    </section>
  );
}
