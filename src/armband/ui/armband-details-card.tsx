import { armbandOf, armbandState, batteryLevel, type Diagnostics, deviceDetails, diagnostics } from '../live-state';

/** The connected armband: what it says about itself, and a one-line account of the values it sent. */
export function ArmbandDetailsCard() {
  const state = armbandState.value;
  const current = armbandOf(state);
  if (!current) return null;
  const details = deviceDetails.value;
  const battery = batteryLevel.value;
  return (
    <section class="card" aria-labelledby="armband-title">
      <h2 id="armband-title" class="card-title">
        Armband{current.demo && <span class="pill pill-demo">Demo</span>}
      </h2>
      <dl class="facts" data-testid="armband-details">
        <dt>Name</dt>
        <dd>{current.name}</dd>
        <dt>Maker</dt>
        <dd>{details?.manufacturer ?? '—'}</dd>
        <dt>Model</dt>
        <dd>{details?.model ?? '—'}</dd>
        <dt>Firmware</dt>
        <dd>{details?.firmware ?? '—'}</dd>
        <dt>Battery</dt>
        <dd>{battery === null ? '—' : `${battery}%`}</dd>
        {state.kind === 'streaming' && (
          <>
            <dt>Beat intervals</dt>
            <dd>{state.intervals === 'ppi' ? 'Optical pulse intervals (Polar PPI)' : 'RR intervals, when the armband sends them'}</dd>
          </>
        )}
      </dl>
      <p class="muted small diagnostics" data-testid="armband-diagnostics">
        {diagnosticsLine(diagnostics.value)}
      </p>
    </section>
  );
}

/** "312 values · 310 kept · 2 refused (truncated 2) · last: …" */
export function diagnosticsLine(d: Diagnostics): string {
  const refused = Object.entries(d.rejected);
  const refusedCount = refused.reduce((sum, [, n]) => sum + n, 0);
  const parts = [`${d.received} ${d.received === 1 ? 'value' : 'values'}`, `${d.kept} kept`];
  parts.push(refusedCount === 0 ? 'none refused' : `${refusedCount} refused (${refused.map(([code, n]) => `${code} ${n}`).join(', ')})`);
  if (d.warnings > 0) parts.push(`${d.warnings} with warnings`);
  if (d.ppiDropped > 0) parts.push(`${d.ppiDropped} PPI intervals dropped`);
  if (d.last) parts.push(`last note: ${d.last.message}`);
  return parts.join(' · ');
}
