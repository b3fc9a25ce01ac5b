import { describe, expect, it } from 'vitest';
import { NOTIFICATION_TAGS } from '../../src/shared/names';
import { parsePushTickle } from '../../src/shared/push-tickle';
import type { SyncLogEntry } from '../../src/shared/sync/sync-store';
import { describePushResult } from '../../sw/notify';

const run = (over: Partial<SyncLogEntry>): SyncLogEntry => ({
  trigger: 'push',
  startedAt: 0,
  durationMs: 10,
  upRecords: 0,
  upBytes: 0,
  downRecords: 0,
  downBytes: 0,
  outcome: 'ok',
  ...over,
});

describe('parsePushTickle', () => {
  it.each([
    ['{"type":"refresh","id":"a1"}', { type: 'refresh', id: 'a1' }],
    ['{"type":"message","id":"m"}', { type: 'message', id: 'm' }],
    ['{"type":"heart","id":"a1"}', null],
    ['{"type":"sync"}', null],
    ['not json', null],
    ['', null],
    [null, null],
  ])('%s → %j', (text, expected) => {
    expect(parsePushTickle(text)).toEqual(expected);
  });
});

describe('describePushResult', () => {
  it('says how much heart-rate data came from other devices', () => {
    const content = describePushResult({ type: 'refresh', id: '1' }, run({ downRecords: 125, pulled: { chunks: 125, docs: {} } }));
    expect(content).toMatchObject({
      body: 'Synced 2 h 5 min of heart-rate data from your other devices.',
      tag: NOTIFICATION_TAGS.syncStatus,
      url: '/sync',
    });
  });
  it.each([
    [0, 'New message', 'Open Steady to read it.'],
    [1, 'New message', 'Open Steady to read it.'],
    [3, '3 new messages', 'Open Steady to read them.'],
  ])('words a message push by the number pulled (%i)', (message, title, body) => {
    expect(describePushResult({ type: 'message', id: 'm' }, run({ pulled: { chunks: 0, docs: { message } } }))).toMatchObject({
      title,
      body,
    });
  });
  it('counts messages and check-ins', () => {
    expect(describePushResult({ type: 'message', id: '2' }, run({ pulled: { chunks: 0, docs: { message: 3 } } })).title).toBe(
      '3 new messages',
    );
    expect(describePushResult({ type: 'refresh', id: '3' }, run({ pulled: { chunks: 60, docs: { checkin: 2 } } })).body).toBe(
      'Synced 1 h of heart-rate data and 2 check-ins from your other devices.',
    );
  });
  it('tells the truth when the sync failed or found nothing', () => {
    expect(describePushResult({ type: 'sync', id: '4' }, run({ outcome: 'offline', error: 'could not reach the server' })).title).toBe(
      'Steady could not sync',
    );
    expect(describePushResult({ type: 'sync', id: '5' }, run({ upRecords: 4 })).body).toBe(
      'Nothing new from your other devices. Sent 4 records from this device.',
    );
  });
});
