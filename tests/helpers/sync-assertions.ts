import { expect } from 'vitest';
import type { HeartRateSample } from '../../src/shared/samples';
import type { Reading, ReadingsResponse } from '../../src/shared/sync/protocol';

/** Every reading the server holds for the account between two instants (7-day requests, each followed page by page). */
export async function serverReadings(baseUrl: string, token: string, from: number, to: number): Promise<Reading[]> {
  const week = 7 * 24 * 3600 * 1000;
  const readings: Reading[] = [];
  for (let start = from; start < to; start += week) {
    const range = { from: new Date(start).toISOString(), to: new Date(Math.min(to, start + week)).toISOString() };
    for (let cursor: string | null | undefined; cursor !== null; ) {
      const query = new URLSearchParams(cursor ? { ...range, cursor } : range);
      const response = await fetch(`${baseUrl}/api/readings?${query}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`readings failed: ${response.status} ${await response.text()}`);
      const page = (await response.json()) as ReadingsResponse;
      for (const reading of page.readings) readings.push(reading);
      cursor = page.next;
    }
  }
  return readings;
}

/** The server holds exactly these samples: each once, with its heart rate and intervals. */
export function expectExactlySamples(readings: readonly Reading[], samples: readonly HeartRateSample[]): void {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  expect(readings.length).toBe(sorted.length);
  expect(new Set(readings.map((r) => r.t)).size).toBe(readings.length);
  expect(readings.map((r) => Date.parse(r.t))).toEqual(sorted.map((s) => s.t));
  expect(readings.map((r) => r.bpm)).toEqual(sorted.map((s) => s.bpm));
  expect(readings.map((r) => r.intervalsMs)).toEqual(sorted.map((s) => s.intervalsMs));
}
