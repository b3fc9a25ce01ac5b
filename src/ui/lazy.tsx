import type { ComponentChildren, ComponentType, VNode } from 'preact';
import { useEffect, useErrorBoundary, useState } from 'preact/hooks';
import { lazy } from 'preact-iso';

/** The one message every lazily loaded part shows when its code could not load or could not draw. */
export function LoadFailed({ what, children }: { what: string; children?: ComponentChildren }) {
  return (
    <p class="error load-failed" role="alert">
      {what} could not load. Reload the page to try again.{children && <> {children}</>}
    </p>
  );
}

/** Leaves the cause where a developer looks; the screen says it in words (LoadFailed). */
export const reportLoadFailure = (error: unknown) => console.warn('Steady: part of the screen could not load or draw', error);

/**
 * Loads a module and hands it to `use`; a failure of either, the import or `use` itself (a
 * chart's first draw), goes to `failed`. `import().then(use, failed)` would let an error thrown
 * in `use` become an unhandled rejection, leaving a blank space and no word (issue 16).
 */
export function loadThen<M>(load: () => Promise<M>, use: (module: M) => void | Promise<void>, failed: (error: unknown) => void): void {
  load()
    .then(use)
    .catch((error: unknown) => {
      reportLoadFailure(error);
      failed(error);
    });
}

/** `load`, shared by every caller while it succeeds; after a failure the next caller tries again. */
export function loadOnce<M>(load: () => Promise<M>): () => Promise<M> {
  let loading: Promise<M> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

/**
 * A component whose code loads when it first renders. Shows `placeholder` until then, and
 * `LoadFailed` if the import fails or the component throws while rendering.
 */
export function lazyPart<P extends object>(
  load: () => Promise<ComponentType<P>>,
  what: string,
  placeholder: () => VNode | null = () => null,
): ComponentType<P> {
  const loadPart = loadOnce(load);
  return function LazyPart(props: P) {
    const [Part, setPart] = useState<ComponentType<P> | null>(null);
    const [failed, setFailed] = useState(false);
    const [renderError] = useErrorBoundary(reportLoadFailure);
    useEffect(() => {
      let live = true;
      loadThen(
        loadPart,
        (component) => {
          if (live) setPart(() => component);
        },
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, []);
    if (failed || renderError) return <LoadFailed what={what} />;
    return Part ? <Part {...props} /> : placeholder();
  };
}

/**
 * A route's screen, loaded on first visit (preact-iso `lazy`, so the old screen stays up
 * meanwhile). A failed import becomes a screen that says so, instead of a rejection nothing
 * catches and an empty screen.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>, what: string) {
  return lazy(() =>
    load().catch((error: unknown) => {
      reportLoadFailure(error);
      return () => <LoadFailed what={what} />;
    }),
  );
}
