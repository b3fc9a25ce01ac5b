/** A document as tests put it in the app's `docs` store (tests/helpers/app-db.ts, putSyncedDocs). */
export interface SeedDoc {
  kind: string;
  id: string;
  body: Record<string, unknown>;
}

/** A valid morning measurement from a real (not demo) chest strap, as src/shared/measurement.ts parses it. */
export function measurementDoc(
  date: string,
  { rmssd, restingHr, takenAt }: { rmssd: number; restingHr: number; takenAt: number },
): SeedDoc {
  return {
    kind: 'measurement',
    id: date,
    body: {
      date,
      rmssd,
      lnRmssd: Math.log(rmssd),
      sdnn: rmssd * 1.2,
      restingHr,
      beats: 150,
      correctedShare: 0.01,
      durationS: 120,
      source: { id: 'strap-1', name: 'Polar H10 TEST', intervalKind: 'rr', demo: false },
      takenAt,
    },
  };
}
