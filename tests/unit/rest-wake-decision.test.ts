import { describe, expect, it } from 'vitest';
import { type WakeEvent, type WakeState, wakeStep } from '../../src/rest/wake-decision';

const idle: WakeState = { kind: 'idle' };
const acquiring: WakeState = { kind: 'acquiring' };
const held: WakeState = { kind: 'held' };
const paused: WakeState = { kind: 'paused' };
const lost: WakeState = { kind: 'lost', reason: 'Battery saver is on.' };
const unsupported: WakeState = { kind: 'unsupported' };

/** Runs events from `idle`, returning every state and how many requests were made. */
function run(events: WakeEvent[]): { states: WakeState['kind'][]; requests: number } {
  let state = idle;
  let requests = 0;
  const states: WakeState['kind'][] = [];
  for (const event of events) {
    const step = wakeStep(state, event);
    state = step.state;
    if (step.acquire) requests += 1;
    states.push(state.kind);
  }
  return { states, requests };
}

describe('wakeStep, one transition at a time', () => {
  it.each<[string, WakeState, WakeEvent, WakeState, boolean]>([
    ['start on a visible page asks at once', idle, { type: 'start', supported: true, visible: true }, acquiring, true],
    ['start on a hidden page waits', idle, { type: 'start', supported: true, visible: false }, paused, false],
    ['start without the API stays unsupported', idle, { type: 'start', supported: false, visible: true }, unsupported, false],
    ['unsupported never asks', unsupported, { type: 'visible' }, unsupported, false],
    ['a granted request holds', acquiring, { type: 'acquired' }, held, false],
    ['visible while asking does not ask twice', acquiring, { type: 'visible' }, acquiring, false],
    ['visible while holding does not ask again', held, { type: 'visible' }, held, false],
    ['hidden while holding waits for the browser to release', held, { type: 'hidden' }, held, false],
    ['released while hidden pauses', held, { type: 'released', visible: false }, paused, false],
    ['visible after a pause asks again', paused, { type: 'visible' }, acquiring, true],
    [
      'released while visible is lost, not re-asked in a loop',
      held,
      { type: 'released', visible: true },
      { kind: 'lost', reason: 'The browser let the screen lock go.' },
      false,
    ],
    [
      'refused while visible is lost with the reason',
      acquiring,
      { type: 'refused', reason: 'Battery saver is on.', visible: true },
      lost,
      false,
    ],
    ['refused because hidden meanwhile pauses', acquiring, { type: 'refused', reason: 'hidden', visible: false }, paused, false],
    ['lost is retried on the next visit', lost, { type: 'visible' }, acquiring, true],
    ['lost then hidden pauses', lost, { type: 'hidden' }, paused, false],
    ['a release before start is ignored', idle, { type: 'released', visible: true }, idle, false],
  ])('%s', (_name, from, event, to, acquire) => {
    expect(wakeStep(from, event)).toEqual({ state: to, acquire });
  });
});

describe('wakeStep over a rest', () => {
  it('holds, pauses on every hide and asks once on every return', () => {
    const visit: WakeEvent[] = [{ type: 'hidden' }, { type: 'released', visible: false }, { type: 'visible' }, { type: 'acquired' }];
    const { states, requests } = run([
      { type: 'start', supported: true, visible: true },
      { type: 'acquired' },
      ...visit,
      ...visit,
      ...visit,
    ]);
    expect(requests).toBe(4);
    expect(states.at(-1)).toBe('held');
    expect(states.filter((kind) => kind === 'paused')).toHaveLength(3);
  });

  it('a browser that keeps refusing is asked once per visit, never in a loop', () => {
    const refused: WakeEvent = { type: 'refused', reason: 'NotAllowedError', visible: true };
    const { states, requests } = run([
      { type: 'start', supported: true, visible: true },
      refused,
      refused,
      { type: 'hidden' },
      { type: 'visible' },
      refused,
    ]);
    expect(requests).toBe(2);
    expect(states.at(-1)).toBe('lost');
  });
});
