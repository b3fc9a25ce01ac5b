import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { loadSymptomList } from '../checkin/symptom-list-store';
import { addDays, dayKeyOf } from '../shared/days';
import type { TrendsResponse } from '../shared/messages';
import { EXTRA_SYMPTOMS, SYMPTOM_LIST_DOC_ID, type SymptomList } from '../shared/symptoms';
import { chartMarks } from '../shared/treatments';
import type { DayRow } from '../shared/trends/day-rows';
import { SERIES, type SeriesDef, type SeriesId, seriesById, symptomSeries } from '../shared/trends/series';
import { StandTestsCard } from '../stand-test/stand-tests-card';
import { TreatmentsCard } from '../treatments/treatments-card';
import { useTreatmentEntries } from '../treatments/treatments-store';
import { useDocChanges } from '../ui/use-doc-changes';
import { DailyChart } from './daily-chart';
import { DataTable } from './data-table';
import { DayChartCard } from './day-chart-card';
import { measureSince } from './format';
import { requestDaily } from './trends-client';

type Rows = Extract<TrendsResponse, { type: 'DAILY_ROWS' }>;

const RANGES = [7, 30, 90] as const;
type Range = (typeof RANGES)[number];

/** Marks for the benchmark: from asking the worker to every daily chart on screen with complete rows. */
export const TRENDS_START = 'steady:trends:request';
export const TRENDS_MEASURE = 'steady:trends';

const SYMPTOM_CHOICES = SERIES.filter((s) => s.id === 'symptomSum' || s.range?.[1] === 3);
const hrv = [seriesById('rmssd')];
const restingHr = [seriesById('restingHr')];
const stability = [seriesById('stability')];
const above = [seriesById('aboveThreshold')];
/** Charts drawn per view: the five above and the overlay. */
const CHART_COUNT = 6;

/** The Trends screen's body (loaded lazily with its charts): daily series over 7, 30 or 90 days, and one day in full. */
export function TrendsView() {
  const today = useMemo(() => dayKeyOf(Date.now()), []);
  const [range, setRange] = useState<Range>(30);
  const [data, setData] = useState<Rows | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [symptom, setSymptom] = useState<SeriesId>('symptomSum');
  const [overlayA, setOverlayA] = useState<SeriesId>('rmssd');
  const [overlayB, setOverlayB] = useState<SeriesId>('symptomSum');
  const painted = useRef({ rows: null as DayRow[] | null, count: 0, measured: false });
  const { entries, unreadable } = useTreatmentEntries();
  const marks = useMemo(() => chartMarks(entries ?? [], addDays(today, 1 - range), today), [entries, range, today]);

  useEffect(() => {
    const abort = new AbortController();
    performance.clearMarks(TRENDS_START);
    performance.mark(TRENDS_START);
    painted.current.measured = false;
    requestDaily({ type: 'DAILY', lastDay: today, days: range }, setData, abort.signal).then(
      () => setError(null),
      (failure: unknown) => {
        if (!abort.signal.aborted) setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => abort.abort();
  }, [range, today]);

  const rows = data && data.rows.length === range ? data.rows : null;
  // Every day has a value (remembered or counted); `verifying` may still replace a few.
  const complete = data !== null && data.loadsPending === 0;
  const settled = complete && !data.verifying;
  const [symptomList, setSymptomList] = useState<SymptomList | null>(null);
  useDocChanges('settings', () => void loadSymptomList().then((stored) => setSymptomList(stored.list)), SYMPTOM_LIST_DOC_ID);
  // The six, then every other symptom that is tracked or was rated in these days, by its current name.
  const symptomChoices = useMemo(() => {
    const others = [...EXTRA_SYMPTOMS, ...(symptomList?.custom ?? []).map((c) => ({ id: c.id, label: c.label }))];
    const rated = new Set((rows ?? []).flatMap((row) => Object.keys(row.otherRatings)));
    const shown = others.filter((s) => symptomList?.tracked.includes(s.id) || rated.has(s.id));
    for (const id of rated) if (!others.some((s) => s.id === id)) shown.push({ id, label: id });
    return [...SYMPTOM_CHOICES, ...shown.map(symptomSeries)];
  }, [symptomList, rows]);
  const chartedSymptom = useMemo(
    () => [symptomChoices.find((s) => s.id === symptom) ?? seriesById('symptomSum')],
    [symptom, symptomChoices],
  );
  const overlay = useMemo<SeriesDef[]>(
    () => [seriesById(overlayA), ...(overlayB !== overlayA ? [seriesById(overlayB)] : [])],
    [overlayA, overlayB],
  );
  const onPainted = useMemo(() => {
    painted.current = { ...painted.current, rows: rows ?? null, count: 0 };
    return () => {
      const state = painted.current;
      if (state.rows !== rows || !complete || state.measured) return;
      if (++state.count < CHART_COUNT) return;
      state.measured = true;
      measureSince(TRENDS_START, TRENDS_MEASURE);
    };
  }, [rows, complete]);

  return (
    <div class="trends" data-state={error ? 'error' : !rows ? 'loading' : settled ? 'ready' : 'partial'}>
      <fieldset class="range-picker">
        <legend>Show the last</legend>
        {RANGES.map((days) => (
          <label key={days} class={range === days ? 'is-selected' : ''}>
            <input type="radio" name="trend-range" value={days} checked={range === days} onChange={() => setRange(days)} />
            {days} days
          </label>
        ))}
      </fieldset>
      <p class="muted small trend-status" aria-live="polite">
        {error
          ? `Could not read your trends: ${error}`
          : !rows
            ? 'Reading your records on this device…'
            : !complete
              ? `Counting time above threshold from your heart rate: ${data?.loadsPending} day${data?.loadsPending === 1 ? '' : 's'} to go.`
              : `The last ${range} days, from this device's records (works offline)${settled ? '.' : '; checking for newer heart-rate data…'}`}
        {data && data.skippedDocs.length > 0 && ` ${data.skippedDocs.length} record(s) could not be read and are left out.`}
      </p>
      {rows && (
        <>
          <TrendCard title="Morning HRV">
            <DailyChart rows={rows} series={hrv} marks={marks} onPainted={onPainted} />
          </TrendCard>
          <TrendCard title="Resting heart rate">
            <DailyChart rows={rows} series={restingHr} marks={marks} onPainted={onPainted} />
          </TrendCard>
          <TrendCard title="Morning stability">
            <DailyChart rows={rows} series={stability} marks={marks} onPainted={onPainted} />
          </TrendCard>
          <TrendCard
            title="Symptoms"
            control={<SeriesSelect label="Show" value={symptom} choices={symptomChoices} onChange={setSymptom} id="symptom-series" />}
          >
            <DailyChart rows={rows} series={chartedSymptom} marks={marks} onPainted={onPainted} />
          </TrendCard>
          <TrendCard title="Time above threshold">
            <DailyChart rows={rows} series={above} marks={marks} onPainted={onPainted} />
            {data && (
              <p class="muted small">
                Counted against each day's threshold (resting heart rate + 15 bpm unless you set one). Daily pace-point limit:{' '}
                {data.dailyPoints}.
              </p>
            )}
          </TrendCard>
          <TrendCard
            title="Compare two"
            control={
              <div class="overlay-pickers">
                <SeriesSelect label="Solid line" value={overlayA} choices={SERIES} onChange={setOverlayA} id="overlay-a" />
                <SeriesSelect label="Dashed line" value={overlayB} choices={SERIES} onChange={setOverlayB} id="overlay-b" />
              </div>
            }
          >
            <p class="muted small">Each has its own scale: the solid one on the left, the dashed one on the right.</p>
            <DailyChart rows={rows} series={overlay} marks={marks} onPainted={onPainted} />
          </TrendCard>
          <DataTable rows={rows} />
        </>
      )}
      <DayChartCard today={today} />
      <TreatmentsCard today={today} entries={entries} unreadable={unreadable} />
      <StandTestsCard />
    </div>
  );
}

function TrendCard({
  title,
  control,
  children,
}: {
  title: string;
  control?: preact.ComponentChildren;
  children: preact.ComponentChildren;
}) {
  const id = `trend-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section class="card trend-card" aria-labelledby={id}>
      <div class="trend-card-head">
        <h2 id={id} class="card-title">
          {title}
        </h2>
        {control}
      </div>
      {children}
    </section>
  );
}

function SeriesSelect(props: {
  id: string;
  label: string;
  value: SeriesId;
  choices: readonly SeriesDef[];
  onChange: (id: SeriesId) => void;
}) {
  return (
    <span class="series-select">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(event) => props.onChange((event.target as HTMLSelectElement).value as SeriesId)}>
        {props.choices.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </select>
    </span>
  );
}
