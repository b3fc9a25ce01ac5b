import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  LOCKS,
  NOTIFICATION_TAGS,
  PERIODIC_SYNC_TAG,
  PUSH_TOPICS,
  SYNC_TAG,
  TRENDS_CACHE_DB,
  WORKER_NAMES,
} from '../../src/shared/names';

describe('names that cross a boundary', () => {
  it('are distinct strings: no lock, channel, tag, topic, worker or database shares a name with another', () => {
    const all = [
      SYNC_TAG,
      PERIODIC_SYNC_TAG,
      ...Object.values(LOCKS),
      ...Object.values(CHANNELS),
      ...Object.values(NOTIFICATION_TAGS),
      ...Object.values(PUSH_TOPICS),
      ...Object.values(WORKER_NAMES),
      TRENDS_CACHE_DB,
    ];
    const repeated = all.filter((name, i) => all.indexOf(name) !== i);
    expect(repeated).toEqual([]);
  });

  it('fit where they are used: push topics are at most 32 URL-safe characters (RFC 8030 §5.4)', () => {
    for (const topic of Object.values(PUSH_TOPICS)) expect(topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
  });
});
