import type { Rating } from '../shared/checkin';

const RATINGS: readonly Rating[] = [0, 1, 2, 3];

/** What a 0–3 question needs: a symptom (src/shared/symptoms.ts) or a kind of exertion. */
export interface RatedItem {
  id: string;
  label: string;
  levels: readonly [string, string, string, string];
  higherIsBetter: boolean;
}

/** Which end of a scale is better, said once under its legend. */
function direction(item: RatedItem): string {
  return `0 ${item.levels[0].toLowerCase()} … 3 ${item.levels[3].toLowerCase()}`;
}

/**
 * One 0–3 item as a native radio group: a fieldset named by its legend, arrow keys move
 * between levels, and screen readers announce "Fatigue, Moderate, 3 of 4". The labels are the
 * large touch targets; the radio itself stays in the accessibility tree.
 */
export function RatingGroup({
  item,
  value,
  onChange,
  note,
}: {
  item: RatedItem;
  value: Rating | null;
  onChange: (value: Rating | null) => void;
  /** Said after the direction, e.g. that the symptom is no longer tracked. */
  note?: string;
}) {
  const name = `rating-${item.id}`;
  return (
    <fieldset class="rating-group" data-testid={name}>
      <legend>
        <span class="rating-label">{item.label}</span>{' '}
        <span class="rating-direction muted small">
          ({direction(item)}){note ? ` ${note}` : ''}
        </span>
      </legend>
      <div class={`rating-options${item.higherIsBetter ? ' better-high' : ''}`}>
        {RATINGS.map((level) => (
          <label key={level} class="rating-option">
            <input type="radio" name={name} value={level} checked={value === level} onChange={() => onChange(level)} />
            <span class="rating-number" aria-hidden="true">
              {level}
            </span>
            <span class="rating-word">{item.levels[level]}</span>
          </label>
        ))}
      </div>
      {value !== null && (
        <button type="button" class="link-button small" onClick={() => onChange(null)}>
          Clear {item.label.toLowerCase()}
        </button>
      )}
    </fieldset>
  );
}
