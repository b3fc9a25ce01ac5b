import { useEffect, useRef, useState } from 'preact/hooks';
import { dayKeyOf } from '../shared/days';
import { type HrvCounts, measureHrv } from '../shared/hrv/hrv';
import type { Measurement } from '../shared/measurement';
import { ScreenHeader } from '../ui/screen-header';
import { type CaptureProgress, captureIntervals } from './capture';
import { loadMeasurement, saveMeasurement, toMeasurement } from './measurement-store';
import { ReadingProgress } from './reading-progress';
import { DEFAULT_READING_SETTINGS, loadReadingSettings, type ReadingSettings, saveReadingSettings } from './reading-settings';
import { ReadingSetup } from './reading-setup';
import { ResultFigures } from './result-card';
import { StabilityCard } from './stability-card';

type Step =
  | { kind: 'setup'; notice: string | null }
  | { kind: 'running'; progress: CaptureProgress }
  | { kind: 'done'; measurement: Measurement; saved: boolean }
  | { kind: 'refused'; reason: string; counts: HrvCounts }
  | { kind: 'failed'; message: string };

/** Keeps the screen on during the reading where the browser allows it; a refusal only means it may dim. */
async function keepAwake(signal: AbortSignal): Promise<void> {
  try {
    const lock = await navigator.wakeLock?.request('screen');
    signal.addEventListener('abort', () => void lock?.release().catch(() => undefined), { once: true });
  } catch {
    // Not allowed (battery saver, hidden tab): the reading works the same with the screen dimmed.
  }
}

/** The guided morning HRV reading: settle, capture, measure, save; or refuse with the reason. */
export function MeasureScreen() {
  const [settings, setSettings] = useState<ReadingSettings>(DEFAULT_READING_SETTINGS);
  const [step, setStep] = useState<Step>({ kind: 'setup', notice: null });
  const [earlier, setEarlier] = useState<Measurement | null>(null);
  const [settingsError, setSettingsError] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);

  useEffect(() => {
    void loadReadingSettings().then(setSettings, (error: unknown) => setSettingsError(String(error)));
    void loadMeasurement(dayKeyOf(Date.now())).then(setEarlier, () => setEarlier(null));
    // Leaving the screen cancels a reading in progress: nothing half-done is saved.
    return () => running.current?.abort();
  }, []);

  const changeSettings = (next: ReadingSettings) => {
    setSettings(next);
    saveReadingSettings(next).then(
      () => setSettingsError(null),
      (error: unknown) => setSettingsError(`Could not keep this setting: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  const start = async () => {
    const controller = new AbortController();
    running.current = controller;
    void keepAwake(controller.signal);
    try {
      const capture = await captureIntervals(settings, controller.signal, (progress) => setStep({ kind: 'running', progress }));
      // The wall-clock settle already skipped the start: the maths trims nothing more.
      const result = measureHrv(capture.intervalsMs, { kind: capture.intervalKind, settleS: 0, warmUpS: 0 });
      if (!result.ok) {
        setStep({ kind: 'refused', reason: result.reason, counts: result });
        return;
      }
      const measurement = toMeasurement(result, capture);
      // A demo reading would replace a real one of the same morning: shown, never saved.
      if (!capture.source.demo) {
        await saveMeasurement(measurement);
        setEarlier(measurement);
      }
      setStep({ kind: 'done', measurement, saved: !capture.source.demo });
    } catch (error) {
      if (controller.signal.aborted) setStep({ kind: 'setup', notice: 'Reading cancelled. Nothing was saved.' });
      else setStep({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      controller.abort();
      if (running.current === controller) running.current = null;
    }
  };
  const again = () => setStep({ kind: 'setup', notice: null });

  return (
    <>
      <ScreenHeader title="Morning reading">Heart rate variability at rest, to see how much you have in the tank today.</ScreenHeader>
      {step.kind === 'setup' && (
        <>
          {step.notice && (
            <p class="muted" role="status">
              {step.notice}
            </p>
          )}
          {earlier && (
            <p class="muted" data-testid="earlier-reading">
              You measured this morning at {new Date(earlier.takenAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}{' '}
              (RMSSD {earlier.rmssd.toFixed(1)} ms). A new reading replaces it.
            </p>
          )}
          {settingsError && <p class="error">{settingsError}</p>}
          <ReadingSetup settings={settings} onSettings={changeSettings} onStart={() => void start()} />
        </>
      )}
      {step.kind === 'running' && <ReadingProgress progress={step.progress} onCancel={() => running.current?.abort()} />}
      {step.kind === 'done' && (
        <>
          <section class="card hero reading-card" aria-labelledby="result-title" data-testid="reading-result">
            <h2 id="result-title" class="card-title">
              This morning's reading
            </h2>
            <ResultFigures m={step.measurement} />
            <p role="status" class="muted" data-testid="reading-saved">
              {step.saved ? 'Saved on this device. It syncs to your other devices when online.' : 'Demo data: shown here, not saved.'}
            </p>
            <p class="button-row">
              <a class="button primary" href="/">
                Back to Today
              </a>
              <button type="button" class="button" onClick={again}>
                Measure again
              </button>
            </p>
          </section>
          {step.saved && <StabilityCard date={step.measurement.date} version={step.measurement.takenAt} />}
        </>
      )}
      {step.kind === 'refused' && (
        <section class="card attention" aria-labelledby="refused-title" data-testid="reading-refused">
          <h2 id="refused-title" class="card-title">
            This reading could not be used
          </h2>
          <p role="alert">{step.reason}</p>
          <p class="muted small">
            {step.counts.beats} beats recorded, {step.counts.cleanBeats} clean, {(step.counts.correctedShare * 100).toFixed(1)} % corrected.
            Nothing was saved.
          </p>
          <button type="button" class="button primary" onClick={again}>
            Try again
          </button>
        </section>
      )}
      {step.kind === 'failed' && (
        <section class="card attention reading-card" aria-labelledby="failed-title">
          <h2 id="failed-title" class="card-title">
            The reading stopped
          </h2>
          <p role="alert">{step.message}</p>
          <p class="button-row">
            <button type="button" class="button primary" onClick={again}>
              Try again
            </button>
            <a class="button" href="/">
              Go to Today
            </a>
          </p>
        </section>
      )}
    </>
  );
}
