import type { CaptureProgress } from './capture';

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** The running reading: phase, countdown, beats so far, and Cancel. */
export function ReadingProgress({ progress, onCancel }: { progress: CaptureProgress; onCancel: () => void }) {
  const settling = progress.phase === 'settling';
  const done = progress.phaseS - progress.remainingS;
  return (
    <section class="card hero reading-progress" aria-labelledby="reading-phase" data-testid="reading-progress">
      {/* Announced when the phase changes, not every second. */}
      <h2 id="reading-phase" class="card-title" aria-live="polite" data-testid="reading-phase">
        {settling ? 'Settling: lie or sit still' : 'Measuring: stay still, breathe normally'}
      </h2>
      <p class="big-number" role="timer" aria-label={`${progress.remainingS} seconds left`}>
        <span class="value">{clock(progress.remainingS)}</span>
      </p>
      <progress class="reading-bar" max={progress.phaseS} value={done} aria-hidden="true" />
      <p class="live-facts">
        <span data-testid="reading-beats">{settling ? 'Beats are counted once measuring starts' : `${progress.beats} beats`}</span>
        {progress.bpm !== null && <span>{progress.bpm} bpm</span>}
      </p>
      {progress.contact === false && (
        <p class="contact-lost" role="alert">
          The armband reports no skin contact. Moisten the strap or tighten the band.
        </p>
      )}
      <button type="button" class="button big-button" onClick={onCancel}>
        Cancel reading
      </button>
    </section>
  );
}
