/** One browser feature: what Steady does with it, and what it does instead where it is missing. */
export interface Capability {
  name: string;
  has: boolean;
  use: string;
  instead: string;
}

/** The Yes/No list of the Settings capability cards. */
export function CapabilityList({ rows, testId }: { rows: readonly Capability[]; testId: string }) {
  return (
    <ul class="list" data-testid={testId}>
      {rows.map((row) => (
        <li key={row.name} class="list-row capability">
          <div>
            <strong>{row.name}</strong>
            <div class="muted small">{row.has ? row.use : row.instead}</div>
          </div>
          <span class={row.has ? 'pill' : 'pill pill-missing'}>{row.has ? 'Yes' : 'No'}</span>
        </li>
      ))}
    </ul>
  );
}
