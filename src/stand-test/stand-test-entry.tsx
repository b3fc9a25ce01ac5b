/** Today's way into the stand test: one tap. */
export function StandTestEntry() {
  return (
    <p class="rest-entry">
      <a class="button" href="/stand-test" data-testid="stand-test-entry">
        Stand test
      </a>
      <span class="muted small">Lie still, then stand for 10 minutes: a heart-rate and blood-pressure screen to show your clinician.</span>
    </p>
  );
}
