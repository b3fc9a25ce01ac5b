import type { DayKey } from '../shared/days';
import type { Treatment } from '../shared/treatments';
import { COMPARED_METRICS, compareBeforeAfter, comparisonWindows, MIN_DAYS, type WindowFigure } from '../shared/trends/before-after';
import { dayLabel } from '../trends/format';
import { useAnalysisRows } from './use-analysis-rows';

const metricDef = (id: string) => COMPARED_METRICS.find((m) => m.id === id);

function figureText(figure: WindowFigure, decimals: number): string {
  return figure.value === null ? '–' : figure.value.toFixed(decimals);
}

/** Before and after a treatment's start: equal windows, the days behind each figure, and what it cannot tell. */
export function ComparisonPanel({ treatment, today }: { treatment: Treatment & { id: string }; today: DayKey }) {
  const windows = comparisonWindows(treatment.start, today);
  const rows = useAnalysisRows(windows ? { lastDay: windows.after.last, days: windows.days * 2 } : null);
  const title = `${treatment.name}: before and after`;
  if (!windows) {
    return (
      <section class="comparison" aria-label={title} data-testid="comparison">
        <h3>{title}</h3>
        <p class="muted">It starts on {dayLabel(treatment.start)}: there is no "after" to compare yet.</p>
      </section>
    );
  }
  const comparison = rows.kind === 'ready' ? compareBeforeAfter(rows.rows, windows) : null;
  return (
    <section class="comparison" aria-label={title} data-testid="comparison">
      <h3>{title}</h3>
      <p class="muted small">
        The {windows.days} day{windows.days === 1 ? '' : 's'} before {dayLabel(windows.start)} ({dayLabel(windows.before.first)}–
        {dayLabel(windows.before.last)}) against the {windows.days} from it ({dayLabel(windows.after.first)}–{dayLabel(windows.after.last)}
        ). Each figure is the mean over the days that have a value; crash days are per 7 days checked in.
      </p>
      {rows.kind === 'loading' && <p class="muted">Reading your records…</p>}
      {rows.kind === 'failed' && <p class="error">Could not read your records: {rows.message}</p>}
      {comparison && (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard */}
          <section class="table-scroll" tabIndex={0} aria-label="Before and after, scrolls sideways">
            <table class="comparison-table">
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {comparison.metrics.map((m) => {
                  const def = metricDef(m.metric);
                  const decimals = def?.decimals ?? 1;
                  return (
                    <tr key={m.metric} data-metric={m.metric}>
                      <th scope="row">
                        {def?.label}
                        {def?.unit && <span class="muted"> ({def.unit})</span>}
                      </th>
                      <td>
                        {figureText(m.before, decimals)} <span class="muted small">({m.before.days} d)</span>
                      </td>
                      <td>
                        {figureText(m.after, decimals)} <span class="muted small">({m.after.days} d)</span>
                      </td>
                      <td>
                        {m.change === null
                          ? 'Too few days'
                          : `${m.change > 0 ? '+' : ''}${m.change.toFixed(decimals)}${m.improved === null ? '' : m.improved ? ' (better)' : ' (worse)'}`}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          <p class={comparison.tooFew ? 'warning' : 'muted small'} data-testid="comparison-caveat">
            {comparison.tooFew
              ? `Too few days to say anything yet: each figure needs at least ${MIN_DAYS} days with a value before and after. `
              : `A figure is compared only with at least ${MIN_DAYS} days on each side. `}
            A difference here does not show the treatment caused it: a crash, an infection, the season or another change can move the same
            numbers.
          </p>
        </>
      )}
    </section>
  );
}
