import type { Page } from 'playwright-core';

/**
 * Makes the page see itself hidden (or visible again). Headless Chromium keeps every page
 * visible: minimising its window (Browser.setWindowBounds), activating another tab
 * (Target.activateTarget) and Page.setWebLifecycleState 'frozen' all leave visibilityState
 * 'visible', and CDP has no visibility override. So visibilityState and hidden are overridden
 * and visibilitychange dispatched, which is all Steady's code can observe.
 */
export function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  return page.evaluate((value) => {
    if (value) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    } else {
      // Removing the own properties uncovers the real getters on Document.prototype.
      delete (document as { visibilityState?: unknown }).visibilityState;
      delete (document as { hidden?: unknown }).hidden;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}
