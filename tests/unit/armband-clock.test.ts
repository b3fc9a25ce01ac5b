import { describe, expect, it } from 'vitest';
import { strictlyIncreasing } from '../../src/armband/clock';

describe('the sample clock', () => {
  it.each([
    { name: 'a steady source', readings: [1000.2, 2000.7, 3000.1], stamps: [1000, 2000, 3000] },
    { name: 'two readings in the same ms', readings: [1000.1, 1000.9, 1001.2], stamps: [1000, 1001, 1002] },
    { name: 'a source that goes back', readings: [5000, 4000, 4001, 6000], stamps: [5000, 5001, 5002, 6000] },
    { name: 'a burst that catches up later', readings: [10, 10, 10, 10, 13], stamps: [10, 11, 12, 13, 14] },
  ])('gives whole, strictly increasing ms: $name', ({ readings, stamps }) => {
    let i = 0;
    const clock = strictlyIncreasing(() => readings[i++] ?? Number.NaN);
    expect(readings.map(() => clock())).toEqual(stamps);
  });

  it('starts above a given floor', () => {
    const clock = strictlyIncreasing(() => 900, 1000);
    expect([clock(), clock()]).toEqual([1001, 1002]);
  });

  it('is monotonic over many fast readings of the real source', () => {
    const clock = strictlyIncreasing(() => performance.timeOrigin + performance.now());
    const stamps = Array.from({ length: 10_000 }, () => clock());
    expect(stamps.every((t, i) => i === 0 || t > stamps[i - 1]!)).toBe(true);
    expect(stamps.every(Number.isInteger)).toBe(true);
    expect(Math.abs(stamps[0]! - Date.now())).toBeLessThan(1_000 + stamps.length);
  });
});
