import { ScreenHeader } from '../ui/screen-header';

export function NotFoundScreen() {
  return (
    <>
      <ScreenHeader title="Not found" />
      <section class="card">
        <p>
          There is no such screen. <a href="/">Go to Today</a>.
        </p>
      </section>
    </>
  );
}
