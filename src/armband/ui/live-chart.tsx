import { useEffect, useRef, useState } from 'preact/hooks';
import { LoadFailed, loadThen, reportLoadFailure } from '../../ui/lazy';
import { liveHistory } from '../live-history';
import type { LiveChartPlot } from './live-chart-plot';

/** Redraw at most this often: the chart is for glancing, and drawing must never crowd out recording. */
const REDRAW_MS = 1_000;
/** Even without new data the window slides (a growing gap must show). */
const SLIDE_MS = 5_000;

/**
 * The last five minutes of heart rate with gap markers. uPlot loads with this component
 * (dynamic import), not with the first screen; redraws are throttled to one a second and
 * run in requestAnimationFrame.
 */
export function LiveChart({ demo }: { demo: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let plot: LiveChartPlot | null = null;
    let disposed = false;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastDraw = 0;
    const draw = () => {
      frame = 0;
      lastDraw = performance.now();
      const now = Date.now();
      const { points, gaps } = liveHistory.snapshot(now);
      plot?.update(points, gaps, now, liveHistory.windowMs);
    };
    const fail = () => {
      plot?.destroy();
      plot = null;
      if (!disposed) setFailed(true);
    };
    // A chart that cannot draw says so once, rather than throwing from every animation frame.
    const drawOrFail = () => {
      try {
        draw();
      } catch (error) {
        reportLoadFailure(error);
        fail();
      }
    };
    const schedule = () => {
      if (frame || timer !== null) return;
      timer = setTimeout(
        () => {
          timer = null;
          frame = requestAnimationFrame(drawOrFail);
        },
        Math.max(0, lastDraw + REDRAW_MS - performance.now()),
      );
    };
    loadThen(
      () => import('./live-chart-plot'),
      ({ createLiveChartPlot }) => {
        if (disposed) return;
        plot = createLiveChartPlot(element);
        draw();
      },
      fail,
    );
    const unsubscribe = liveHistory.version.subscribe(schedule);
    const slide = setInterval(schedule, SLIDE_MS);
    const resize = new ResizeObserver(() => plot?.resize(element.clientWidth));
    resize.observe(element);
    return () => {
      disposed = true;
      unsubscribe();
      clearInterval(slide);
      resize.disconnect();
      if (timer !== null) clearTimeout(timer);
      cancelAnimationFrame(frame);
      plot?.destroy();
    };
  }, []);
  const label = `${demo ? 'Demo data: ' : ''}heart rate over the last 5 minutes; shaded bands are gaps in the recording`;
  return (
    <figure class="live-chart">
      <div ref={host} class="live-chart-plot" role="img" aria-label={label} />
      <figcaption class="muted small">
        Last 5 minutes{demo && <span class="pill pill-demo">Demo</span>}
        {failed && <LoadFailed what="The chart" />}
      </figcaption>
    </figure>
  );
}
