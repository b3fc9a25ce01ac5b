import type { Measurement } from '../shared/measurement';

/** "42", "4.1": whole numbers above 10, one decimal below. */
export const fmt = (v: number, decimals = v >= 10 ? 0 : 1) => v.toFixed(decimals);

/** A morning reading's figures, large RMSSD first. */
export function ResultFigures({ m }: { m: Measurement }) {
  return (
    <>
      <p class="big-number" data-testid="result-rmssd">
        <span class="value">{m.rmssd.toFixed(1)}</span> <span class="unit">ms RMSSD</span>
      </p>
      <dl class="facts result-facts">
        <dt>lnRMSSD</dt>
        <dd data-testid="result-lnrmssd">{m.lnRmssd.toFixed(2)}</dd>
        <dt>SDNN</dt>
        <dd data-testid="result-sdnn">{m.sdnn.toFixed(1)} ms</dd>
        <dt>Resting heart rate</dt>
        <dd data-testid="result-hr">{fmt(m.restingHr, 0)} bpm</dd>
        <dt>Beats analysed</dt>
        <dd>
          {m.beats} over {Math.round(m.durationS)} s
        </dd>
        <dt>Corrected</dt>
        <dd data-testid="result-corrected">{(m.correctedShare * 100).toFixed(1)} % of beats</dd>
        <dt>From</dt>
        <dd>
          {m.source.name}
          {m.source.intervalKind === 'ppi' ? ' (optical)' : ''}
        </dd>
      </dl>
    </>
  );
}
