import { clockText, pulsePressure } from '../shared/stand-test/analysis';
import type { StandTestDoc } from '../shared/stand-test/document';
import { AGE_BAND_LABELS, POSITION_LABELS, SYMPTOM_LABELS } from '../shared/stand-test/protocol';
import { bloodPressureSentence, heartRateSentence, SUSTAINED_DEFINITION, stopSentence } from '../shared/stand-test/wording';

/** A stand test's result, worded as a screen and never a diagnosis. */
export function StandResult({ doc, status }: { doc: StandTestDoc; status: string }) {
  const when = new Date(doc.startedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section class="card hero stand-result" aria-labelledby="stand-result-title" data-testid="stand-result">
      <h2 id="stand-result-title" class="card-title">
        Stand test result {doc.source.demo && <span class="demo-badge">Demo</span>}
      </h2>
      <p class="muted small">
        {when} · {POSITION_LABELS[doc.position]} · {doc.source.name}
      </p>
      <p class="big-number" data-testid="stand-result-rise">
        <span class="value">{doc.riseBpm >= 0 ? `+${doc.riseBpm}` : `−${-doc.riseBpm}`}</span> <span class="unit">bpm sustained rise</span>
      </p>
      <p class="stand-screen" data-testid="stand-result-hr-screen">
        {heartRateSentence(doc)}
      </p>
      <p class="stand-screen" data-testid="stand-result-bp-screen">
        {bloodPressureSentence(doc.hypotension, doc.bp.length)}
      </p>
      {doc.stop && (
        <p class="attention-text" data-testid="stand-result-stopped">
          {stopSentence(doc.stop, doc.stoodS)}
        </p>
      )}
      <p class="muted small" data-testid="stand-result-definition">
        {SUSTAINED_DEFINITION}
      </p>
      <dl class="facts result-facts">
        <dt>Baseline lying down</dt>
        <dd data-testid="stand-result-baseline">
          {Math.round(doc.baselineHr)} bpm{doc.baselineRmssd !== null ? `, RMSSD ${doc.baselineRmssd.toFixed(1)} ms` : ''}
        </dd>
        <dt>Highest 30 s average standing</dt>
        <dd data-testid="stand-result-peak">
          {Math.round(doc.peakHr)} bpm at {clockText(doc.peakAtS)}
        </dd>
        <dt>Threshold used</dt>
        <dd>
          {doc.thresholdBpm} bpm (aged {AGE_BAND_LABELS[doc.ageBand]})
        </dd>
        <dt>Stood for</dt>
        <dd>{clockText(doc.stoodS)}</dd>
      </dl>
      <table class="stand-table" data-testid="stand-result-minutes">
        <caption>Heart rate each minute of standing</caption>
        <thead>
          <tr>
            <th scope="col">Minute</th>
            <th scope="col">Heart rate</th>
            <th scope="col">Rise</th>
          </tr>
        </thead>
        <tbody>
          {doc.minuteHr.map((hr, i) => (
            <tr key={i}>
              <th scope="row">{i + 1}</th>
              <td>{hr === null ? '–' : `${Math.round(hr)} bpm`}</td>
              <td>{hr === null ? '–' : `${Math.round(hr - doc.baselineHr)} bpm`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {doc.bp.length > 0 && (
        <table class="stand-table" data-testid="stand-result-bp">
          <caption>Blood pressure</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">mmHg</th>
              <th scope="col">Pulse pressure</th>
            </tr>
          </thead>
          <tbody>
            {[...doc.bp]
              .sort((a, b) => a.minute - b.minute)
              .map((r) => (
                <tr key={r.minute}>
                  <th scope="row">{r.minute === 0 ? 'Lying' : `Minute ${r.minute}`}</th>
                  <td>
                    {r.systolic}/{r.diastolic}
                  </td>
                  <td>{pulsePressure(r)} mmHg</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {doc.symptoms.some((e) => e.symptoms.length > 0) && (
        <ul class="stand-symptoms" aria-label="Symptoms">
          {doc.symptoms
            .filter((e) => e.symptoms.length > 0)
            .map((e) => (
              <li key={e.minute}>
                Minute {e.minute}: {e.symptoms.map((s) => SYMPTOM_LABELS[s]).join(', ')}
              </li>
            ))}
        </ul>
      )}
      <p role="status" class="muted" data-testid="stand-result-saved">
        {status}
      </p>
    </section>
  );
}
