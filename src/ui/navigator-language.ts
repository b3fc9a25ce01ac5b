import { firstValidLocale } from './locale';

// uPlot runs `new Intl.NumberFormat(navigator.language)` as it loads, which throws a RangeError
// when the browser reports a language that is not a BCP 47 tag: WebKitGTK on a machine left at
// the `C` locale says "C" (issue 16). Imported for this side effect, before uPlot (./uplot.ts):
// an own `language` on navigator hides the broken one, for uPlot and any other reader alike.
try {
  new Intl.NumberFormat(navigator.language);
} catch {
  const language = firstValidLocale([navigator.language, ...navigator.languages, new Intl.NumberFormat().resolvedOptions().locale]);
  Object.defineProperty(navigator, 'language', { value: language, configurable: true });
}
