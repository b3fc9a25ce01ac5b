import { useState } from 'preact/hooks';
import { clockText } from '../shared/stand-test/analysis';
import { PROMPT_MINUTES, type StandPosition } from '../shared/stand-test/protocol';
import { PromptForm } from './prompt-form';
import type { RunView, StandTestRun } from './runner';

interface Props {
  view: RunView;
  run: StandTestRun;
  position: StandPosition;
  demo: boolean;
}

/** The prompt minute due now: the latest of 1, 3, 5, 7 reached and not yet answered or skipped. */
function duePrompt(view: RunView, done: readonly number[]): number | null {
  if (view.phase !== 'standing') return null;
  const reached = PROMPT_MINUTES.filter((m) => m < 10 && view.elapsedS >= m * 60);
  const latest = reached[reached.length - 1];
  return latest !== undefined && !done.includes(latest) ? latest : null;
}

/**
 * The running test, large and calm for arm's length: the time, the heart rate and, standing,
 * the rise over baseline; the prompts as they fall due; "I need to sit down" always in reach.
 */
export function RunningCard({ view, run, position, demo }: Props) {
  const [answered, setAnswered] = useState<number[]>([]);
  const mark = (minute: number) => setAnswered((list) => [...list, minute]);
  const answer =
    (minute: number): Parameters<typeof PromptForm>[0]['onAnswer'] =>
    (bp, symptoms) => {
      run.answer(minute, bp, symptoms);
      mark(minute);
    };
  const prompt = duePrompt(view, answered);
  const rise = view.bpm !== null && view.baselineHr !== null ? Math.round(view.bpm - view.baselineHr) : null;
  const title = {
    lying: 'Lie still and breathe normally',
    'stand-now': 'Stand up now',
    standing: position === 'lean' ? 'Lean on the wall, stay still' : 'Stand still, feet apart',
    'final-prompt': '10 minutes done: sit or lie down now',
  }[view.phase];

  return (
    <section class="card hero stand-run" aria-labelledby="stand-phase" data-testid="stand-run" data-phase={view.phase}>
      {demo && <p class="demo-badge">Demo: not saved</p>}
      {/* Announced when the phase changes, not every second. */}
      <h2 id="stand-phase" class="card-title" aria-live="polite" data-testid="stand-phase">
        {title}
      </h2>
      {(view.phase === 'lying' || view.phase === 'standing') && (
        <p class="stand-clock" role="timer" aria-label={`${clockText(view.elapsedS)} of ${clockText(view.phaseS)}`}>
          <span class="stand-clock-value" data-testid="stand-clock">
            {clockText(Math.min(view.elapsedS, view.phaseS))}
          </span>{' '}
          <span class="unit">of {clockText(view.phaseS)}</span>
        </p>
      )}
      <dl class="stand-figures">
        <div>
          <dt>Heart rate</dt>
          <dd data-testid="stand-bpm">{view.bpm ?? '–'} bpm</dd>
        </div>
        {view.phase === 'standing' && (
          <div>
            <dt>Rise over baseline ({view.baselineHr === null ? '–' : Math.round(view.baselineHr)} bpm)</dt>
            <dd data-testid="stand-rise">{rise === null ? '–' : `${rise >= 0 ? '+' : '−'}${Math.abs(rise)}`} bpm</dd>
          </div>
        )}
      </dl>
      {view.silentS > 0 && (
        <p class="contact-lost" role="alert">
          No heart rate for {view.silentS} s. Check the armband: after 30 s the test stops.
        </p>
      )}
      {view.phase === 'stand-now' && (
        <>
          <p>
            {position === 'lean'
              ? 'Stand with your heels about 15 cm from a wall and lean your shoulders on it.'
              : 'Stand up and stay still, without leaning.'}
          </p>
          <button type="button" class="button primary big-button" onClick={() => run.stood()}>
            I'm standing
          </button>
        </>
      )}
      {(view.phase === 'lying' || view.phase === 'stand-now') && !answered.includes(0) && (
        <PromptForm minute={0} bpOnly saveLabel="Save blood pressure" onSkip={() => mark(0)} onAnswer={answer(0)} />
      )}
      {prompt !== null && (
        <PromptForm
          key={prompt}
          minute={prompt}
          saveLabel={`Save minute ${prompt}`}
          onSkip={() => mark(prompt)}
          onAnswer={answer(prompt)}
        />
      )}
      {view.phase === 'final-prompt' && (
        <PromptForm
          minute={10}
          saveLabel="Save and see the result"
          onSkip={() => run.complete()}
          onAnswer={(bp, s) => {
            run.answer(10, bp, s);
            run.complete();
          }}
        />
      )}
      {view.phase !== 'final-prompt' && (
        <button type="button" class="button big-button sit-down" onClick={() => run.sitDown()}>
          I need to sit down
        </button>
      )}
    </section>
  );
}
