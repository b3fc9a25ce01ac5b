import { lazyPart } from '../ui/lazy';
import { ScreenHeader } from '../ui/screen-header';

const ReportView = lazyPart(
  () => import('../report/report-view').then((m) => m.ReportView),
  'The report',
  () => (
    <section class="card" aria-live="polite">
      <p class="muted">Loading…</p>
    </section>
  ),
);

/** A PDF of the last weeks for a doctor: a one-page summary, then the details chosen. */
export function ReportScreen() {
  return (
    <>
      <ScreenHeader title="Report for your doctor">
        A PDF to print or share: a one-page summary a clinician can read in two minutes, then the details you choose.
      </ScreenHeader>
      <ReportView />
    </>
  );
}
