import { useState } from 'preact/hooks';
import type { DayRow } from '../shared/trends/day-rows';
import { SERIES, type SeriesDef } from '../shared/trends/series';
import { longDayLabel } from './format';

const COLUMNS: readonly SeriesDef[] = SERIES.filter((s) => s.id !== 'lnRmssd');

/** Every value the charts show, as a table: the way to read exact numbers, and the way for screen readers to browse them. */
export function DataTable({ rows }: { rows: readonly DayRow[] }) {
  // Built only while open: 90 rows of 14 cells are work the charts should not wait for.
  const [open, setOpen] = useState(false);
  return (
    <details class="card trend-table" onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
      <summary>Show the numbers as a table</summary>
      {open && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard
        <section class="table-scroll" tabIndex={0} aria-label="Daily values, scrolls sideways">
          <table>
            <caption class="visually-hidden">Daily values, newest first; a dash means nothing was recorded</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {COLUMNS.map((s) => (
                  <th scope="col" key={s.id}>
                    {s.label}
                    {s.unit && <span class="muted"> ({s.unit})</span>}
                  </th>
                ))}
                <th scope="col">Crash</th>
              </tr>
            </thead>
            <tbody>
              {[...rows].reverse().map((row) => (
                <tr key={row.date} data-day={row.date}>
                  <th scope="row">{longDayLabel(row.date)}</th>
                  {COLUMNS.map((s) => {
                    const value = s.value(row);
                    return <td key={s.id}>{value === null ? '–' : Number.isInteger(value) ? String(value) : value.toFixed(s.decimals)}</td>;
                  })}
                  <td>{row.crash ? 'Crash' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </details>
  );
}
