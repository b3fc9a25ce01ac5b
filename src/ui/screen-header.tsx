import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** A screen's title. Takes focus on navigation so screen readers announce the new screen. */
export function ScreenHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Steady`;
    // Only move focus after in-app navigation, not on first load.
    if (document.activeElement && document.activeElement !== document.body) heading.current?.focus();
  }, [title]);
  return (
    <header class="screen-header">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children && <p class="lede">{children}</p>}
    </header>
  );
}
