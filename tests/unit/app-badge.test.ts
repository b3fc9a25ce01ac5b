import { describe, expect, it } from 'vitest';
import { badgeNeedsUpdate, unreadCount } from '../../src/shared/app-badge';

const doc = (id: string, body: Record<string, unknown> = {}) => ({ id, body });

describe('unreadCount', () => {
  it('counts messages without a read mark that holds readAt', () => {
    const messages = [doc('m1'), doc('m2'), doc('m3')];
    expect(unreadCount(messages, [])).toBe(3);
    expect(unreadCount(messages, [doc('m1', { readAt: '2026-12-01T08:00:00Z' })])).toBe(2);
    // A read mark without readAt, or for a message not stored here, reads nothing.
    expect(unreadCount(messages, [doc('m2', {}), doc('m9', { readAt: '2026-12-01T08:00:00Z' })])).toBe(3);
    expect(unreadCount([], [doc('m1', { readAt: 'x' })])).toBe(0);
  });
});

describe('badgeNeedsUpdate', () => {
  const refresh = { type: 'refresh', id: 'r1' } as const;
  it.each([
    ['a message push, even when its run pulled nothing', { type: 'message', id: 'm' } as const, { chunks: 0, docs: {} }, true],
    ['a refresh that pulled heart-rate records', refresh, { chunks: 20, docs: {} }, true],
    ['a refresh that pulled a message document', refresh, { chunks: 0, docs: { message: 1 } }, true],
    ['a refresh that pulled nothing', refresh, { chunks: 0, docs: { checkin: 0 } }, false],
    ['a run that failed before pulling', { type: 'sync', id: 's' } as const, undefined, false],
  ])('%s', (_, tickle, pulled, expected) => {
    expect(badgeNeedsUpdate(tickle, pulled)).toBe(expected);
  });
});
