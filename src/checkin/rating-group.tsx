import type { Rating, Scale } from '../shared/checkin';

const RATINGS: readonly Rating[] = [0, 1, 2, 3];

/** Which end of a scale is better, said once under its legend. */
function direction(scale: Scale): string {
  return scale.higherIsBetter ? `0 ${scale.levels[0].toLowerCase()} … 3 ${scale.levels[3].toLowerCase()}` : '0 none … 3 severe';
}

/**
 * One 0–3 item as a native radio group: a fieldset named by its legend, arrow keys move
 * between levels, and screen readers announce "Fatigue, Moderate, 3 of 4". The labels are the
 * large touch targets; the radio itself stays in the accessibility tree.
 */
export function RatingGroup({ scale, value, onChange }: { scale: Scale; value: Rating | null; onChange: (value: Rating | null) => void }) {
  const name = `rating-${scale.key}`;
  return (
    <fieldset class="rating-group" data-testid={name}>
      <legend>
        <span class="rating-label">{scale.label}</span> <span class="rating-direction muted small">({direction(scale)})</span>
      </legend>
      <div class={`rating-options${scale.higherIsBetter ? ' better-high' : ''}`}>
        {RATINGS.map((level) => (
          <label key={level} class="rating-option">
            <input type="radio" name={name} value={level} checked={value === level} onChange={() => onChange(level)} />
            <span class="rating-number" aria-hidden="true">
              {level}
            </span>
            <span class="rating-word">{scale.levels[level]}</span>
          </label>
        ))}
      </div>
      {value !== null && (
        <button type="button" class="link-button small" onClick={() => onChange(null)}>
          Clear {scale.label.toLowerCase()}
        </button>
      )}
    </fieldset>
  );
}
