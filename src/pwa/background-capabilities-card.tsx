import { probeBrowser } from './browser-surface';
import { capabilityModel } from './capability-model';

/** Settings: each job Steady does, how it does it in this browser, and plainly where a fallback stands in. */
export function BackgroundCapabilitiesCard() {
  const rows = capabilityModel(probeBrowser());
  return (
    <section class="card" aria-labelledby="background-caps-title">
      <h2 id="background-caps-title" class="card-title">
        What this browser gets
      </h2>
      <ul class="list" data-testid="background-capabilities">
        {rows.map((row) => (
          <li key={row.feature} class="list-row capability" data-feature={row.feature} data-mechanism={row.mechanism}>
            <div>
              <strong>{row.title}</strong>
              <div class="muted small">{row.says}</div>
            </div>
            <span class={row.fallback ? 'pill pill-missing' : 'pill'}>{row.fallback ? 'Fallback' : 'Built in'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
