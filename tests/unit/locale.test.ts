import { describe, expect, it } from 'vitest';
import { FALLBACK_LOCALE, firstValidLocale } from '../../src/ui/locale';

describe('firstValidLocale', () => {
  it.each([
    [['en-GB'], 'en-GB'],
    [['de-at'], 'de-AT'],
    // WebKitGTK under the C locale (issue 16): not a tag, so the next candidate.
    [['C', 'fr-FR'], 'fr-FR'],
    [['C'], FALLBACK_LOCALE],
    [['', undefined, null, 'nl'], 'nl'],
    [['en_US.UTF-8'], 'en-US'],
    [['pt_BR@euro'], 'pt-BR'],
    [['C.UTF-8', 'POSIX'], 'posix'],
    [[], FALLBACK_LOCALE],
  ])('%j → %s', (candidates, expected) => {
    expect(firstValidLocale(candidates)).toBe(expected);
  });

  it('returns what Intl.NumberFormat accepts, even where the candidate makes it throw', () => {
    expect(() => new Intl.NumberFormat('C')).toThrow(RangeError);
    for (const candidate of ['C', '', 'en_US.UTF-8', '??', 'x', 'C.UTF-8', 'sr-Latn-RS', 'zh-hant-tw']) {
      const locale = firstValidLocale([candidate]);
      expect(() => new Intl.NumberFormat(locale)).not.toThrow();
    }
  });

  it('uses the given fallback when nothing is valid', () => {
    expect(firstValidLocale(['C', '@'], 'en-GB')).toBe('en-GB');
  });
});
