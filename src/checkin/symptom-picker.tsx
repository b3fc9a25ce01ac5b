import { useState } from 'preact/hooks';
import { addCustom, allSymptoms, newCustomId, renameCustom, type Symptom, type SymptomList, setTracked } from '../shared/symptoms';

/**
 * The symptoms a check-in asks: a checkbox for every built-in symptom and every one the person
 * added, "Add your own", and a rename for their own (which keeps its id, so past ratings keep
 * their name). Edits a draft; the owner saves it. Used at first run on the check-in screen and in
 * Settings.
 */
export function SymptomPicker({
  list,
  onChange,
  idPrefix,
}: {
  list: SymptomList;
  onChange: (next: SymptomList) => void;
  idPrefix: string;
}) {
  const [newLabel, setNewLabel] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const add = () => {
    const result = addCustom(list, newLabel, newCustomId());
    if (!result.ok) return setAddError(result.reason);
    setAddError(null);
    setNewLabel('');
    onChange(result.value);
  };
  const addId = `${idPrefix}-add`;
  return (
    <div class="symptom-picker">
      <fieldset class="symptom-choices">
        <legend class="rating-label">Symptoms you rate</legend>
        <ul class="symptom-list">
          {allSymptoms(list).map((symptom) => (
            <SymptomRow key={symptom.id} symptom={symptom} list={list} onChange={onChange} idPrefix={idPrefix} />
          ))}
        </ul>
      </fieldset>
      <div class="field symptom-add">
        <label for={addId}>Add your own symptom</label>
        <div class="symptom-add-row">
          <input
            id={addId}
            type="text"
            autoComplete="off"
            value={newLabel}
            aria-invalid={addError ? 'true' : undefined}
            aria-describedby={`${addId}-hint`}
            onInput={(event) => {
              setNewLabel(event.currentTarget.value);
              setAddError(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                add();
              }
            }}
          />
          <button type="button" class="button" onClick={add}>
            Add
          </button>
        </div>
        <p id={`${addId}-hint`} class={addError ? 'error small' : 'muted small'} role={addError ? 'alert' : undefined}>
          {addError ?? 'For example “Tinnitus” or “Cold hands”. Rated 0 none … 3 severe.'}
        </p>
      </div>
      <label class="crash-toggle">
        <input
          type="checkbox"
          checked={list.trackPeriod}
          onChange={(event) => onChange({ ...list, trackPeriod: event.currentTarget.checked })}
        />
        <span>
          <strong>Ask about period days</strong>
        </span>
      </label>
    </div>
  );
}

function SymptomRow({
  symptom,
  list,
  onChange,
  idPrefix,
}: {
  symptom: Symptom;
  list: SymptomList;
  onChange: (next: SymptomList) => void;
  idPrefix: string;
}) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputId = `${idPrefix}-rename-${symptom.id}`;
  const finish = () => {
    if (renaming === null) return;
    const result = renameCustom(list, symptom.id, renaming);
    if (!result.ok) return setError(result.reason);
    setRenaming(null);
    setError(null);
    onChange(result.value);
  };
  return (
    <li class="symptom-row">
      <label class="symptom-check">
        <input
          type="checkbox"
          checked={list.tracked.includes(symptom.id)}
          onChange={(event) => onChange(setTracked(list, symptom.id, event.currentTarget.checked))}
        />
        <span>
          {symptom.label}
          {symptom.custom && <span class="muted small"> (yours)</span>}
        </span>
      </label>
      {symptom.custom && renaming === null && (
        <button type="button" class="link-button small" aria-label={`Rename ${symptom.label}`} onClick={() => setRenaming(symptom.label)}>
          Rename
        </button>
      )}
      {renaming !== null && (
        <div class="field symptom-rename">
          <label for={inputId}>New name for {symptom.label}</label>
          <div class="symptom-add-row">
            <input
              id={inputId}
              type="text"
              autoComplete="off"
              value={renaming}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? `${inputId}-error` : undefined}
              onInput={(event) => setRenaming(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  finish();
                }
              }}
            />
            <button type="button" class="button" onClick={finish}>
              Rename
            </button>
            <button
              type="button"
              class="button"
              onClick={() => {
                setRenaming(null);
                setError(null);
              }}
            >
              Cancel
            </button>
          </div>
          {error && (
            <p id={`${inputId}-error`} class="error small" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </li>
  );
}
