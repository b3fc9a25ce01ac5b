import { useEffect, useRef, useState } from 'preact/hooks';
import { sampleClock } from '../armband/clock';
import { armbandState } from '../armband/live-state';
import { analyseStandTest } from '../shared/stand-test/analysis';
import { type StandTestDoc, toStandTestDoc } from '../shared/stand-test/document';
import type { StandPosition, StandTestRecord } from '../shared/stand-test/protocol';
import { ScreenHeader } from '../ui/screen-header';
import { BeforeCard } from './before-card';
import { deleteDraft, findDraft } from './draft-store';
import { StandResult } from './result-card';
import { type RunEnd, type RunView, StandTestRun } from './runner';
import { RunningCard } from './running-card';
import { loadStandSettings, type StandTestSettings, saveStandSettings, saveStandTest } from './stand-test-store';

type Step =
  | { kind: 'loading' }
  | { kind: 'before'; settings: StandTestSettings; notice: string | null }
  | { kind: 'running'; view: RunView; position: StandPosition; demo: boolean }
  | { kind: 'result'; doc: StandTestDoc; status: string }
  | { kind: 'refused'; reason: string };

/** Keeps the screen on while the test runs where the browser allows it. */
async function keepAwake(signal: AbortSignal): Promise<void> {
  try {
    const lock = await navigator.wakeLock?.request('screen');
    signal.addEventListener('abort', () => void lock?.release().catch(() => undefined), { once: true });
  } catch {
    // Not allowed (battery saver, hidden tab): the test works the same with the screen dimmed.
  }
}

/**
 * Analyses an ended record and saves its result (never a demo's). A refusal keeps nothing but
 * the reason; the heart rate itself is in the recording either way.
 */
async function conclude(record: StandTestRecord): Promise<Step> {
  const analysis = analyseStandTest(record);
  if (!record.source.demo) await deleteDraft(record.id);
  if (!analysis.ok) return { kind: 'refused', reason: analysis.reason };
  const doc = toStandTestDoc(record, analysis.result);
  if (record.source.demo) return { kind: 'result', doc, status: 'Demo data: shown here, never saved.' };
  await saveStandTest(doc);
  return { kind: 'result', doc, status: 'Saved on this device. It syncs to your other devices when online, and shows on Trends.' };
}

/** The guided stand test: before, lying baseline, standing with prompts, result. */
export function StandTestScreen() {
  const [step, setStep] = useState<Step>({ kind: 'loading' });
  const run = useRef<StandTestRun | null>(null);
  const awake = useRef<AbortController | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const draft = await findDraft().catch(() => null);
      if (draft) {
        // A tab closed mid-test: keep what it recorded, as stopped when the last reading arrived.
        const last = draft.samples[draft.samples.length - 1]?.t ?? draft.startedAt;
        const endedAt = draft.endedAt ?? last;
        const stopped: StandTestRecord = {
          ...draft,
          endedAt,
          stop: draft.stop ?? (draft.endedAt === null ? { at: endedAt, reason: 'page-closed' } : null),
        };
        const next = await conclude(stopped);
        if (live) setStep(next);
        return;
      }
      const settings = await loadStandSettings();
      if (live) setStep({ kind: 'before', settings, notice: null });
    })().catch((error: unknown) => live && setStep({ kind: 'refused', reason: error instanceof Error ? error.message : String(error) }));
    return () => {
      live = false;
      run.current?.dispose();
      awake.current?.abort();
    };
  }, []);

  const start = (settings: StandTestSettings & { ageBand: NonNullable<StandTestSettings['ageBand']> }) => {
    const state = armbandState.peek();
    if (state.kind !== 'streaming') return;
    void saveStandSettings(settings).catch(() => undefined);
    const record: StandTestRecord = {
      id: crypto.randomUUID(),
      startedAt: sampleClock(),
      lyingMinutes: settings.lyingMinutes,
      position: settings.position,
      ageBand: settings.ageBand,
      source: { id: state.armband.id, name: state.armband.name, intervalKind: state.intervals, demo: state.armband.demo },
      standAt: null,
      endedAt: null,
      stop: null,
      samples: [],
      bp: [],
      symptoms: [],
    };
    awake.current = new AbortController();
    void keepAwake(awake.current.signal);
    const onEnd = (end: RunEnd) => {
      run.current = null;
      awake.current?.abort();
      if (end.kind === 'contact-lost') {
        if (!end.record.source.demo) void deleteDraft(end.record.id);
        setStep({ kind: 'refused', reason: end.reason });
        return;
      }
      conclude(end.record).then(setStep, (error: unknown) =>
        setStep({ kind: 'refused', reason: `The result could not be saved: ${error instanceof Error ? error.message : String(error)}` }),
      );
    };
    run.current = new StandTestRun(
      record,
      (view) => setStep({ kind: 'running', view, position: record.position, demo: record.source.demo }),
      onEnd,
    );
  };
  const again = async () => setStep({ kind: 'before', settings: await loadStandSettings(), notice: null });

  return (
    <>
      <ScreenHeader title="Stand test">
        Ten minutes standing after lying still, to see how your heart rate and blood pressure respond. A screen to bring to your clinician,
        not a diagnosis.
      </ScreenHeader>
      {step.kind === 'before' && <BeforeCard settings={step.settings} onStart={start} />}
      {step.kind === 'running' && run.current && (
        <RunningCard view={step.view} run={run.current} position={step.position} demo={step.demo} />
      )}
      {step.kind === 'result' && (
        <>
          <StandResult doc={step.doc} status={step.status} />
          <p class="button-row">
            <a class="button primary" href="/trends#stand-tests">
              See all on Trends
            </a>
            <a class="button" href="/">
              Back to Today
            </a>
          </p>
        </>
      )}
      {step.kind === 'refused' && (
        <section class="card attention" aria-labelledby="stand-refused-title" data-testid="stand-refused">
          <h2 id="stand-refused-title" class="card-title">
            This stand test gave no result
          </h2>
          <p role="alert">{step.reason}</p>
          <p class="muted small">Nothing was saved as a result; the heart rate stays in your recording.</p>
          <button type="button" class="button primary" onClick={() => void again()}>
            Back to the start
          </button>
        </section>
      )}
    </>
  );
}
