import { useEffect, useState } from 'preact/hooks';
import type { DayKey } from '../shared/days';
import type { DayRow } from '../shared/trends/day-rows';
import { requestDaily } from '../trends/trends-client';

export type AnalysisRows =
  | { kind: 'loading' }
  | { kind: 'ready'; rows: DayRow[]; dailyPoints: number }
  | { kind: 'failed'; message: string };

/** The checked daily rows for `days` days ending `lastDay`, from the analysis worker (null: ask for nothing). */
export function useAnalysisRows(request: { lastDay: DayKey; days: number } | null): AnalysisRows {
  const [state, setState] = useState<AnalysisRows>({ kind: 'loading' });
  const key = request ? `${request.lastDay}/${request.days}` : null;
  useEffect(() => {
    if (!request) return;
    const abort = new AbortController();
    setState({ kind: 'loading' });
    requestDaily({ type: 'DAILY', ...request }, () => undefined, abort.signal, 'analysis').then(
      (done) => setState({ kind: 'ready', rows: done.rows, dailyPoints: done.dailyPoints }),
      (error: unknown) => {
        if (!abort.signal.aborted) setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => abort.abort();
  }, [key]);
  return state;
}
