import { ScreenHeader } from '../ui/screen-header';

/** The daily symptom check-in. */
export function CheckInScreen() {
  return (
    <>
      <ScreenHeader title="Check-in">How are you today? A few taps, morning and evening.</ScreenHeader>
      <section class="card">
        <p class="muted">No check-ins yet.</p>
      </section>
    </>
  );
}
