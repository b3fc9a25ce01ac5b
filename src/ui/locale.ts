/** The language Intl falls back to when nothing the browser reports is a valid tag. */
export const FALLBACK_LOCALE = 'en-US';

/**
 * The first candidate that is a well-formed BCP 47 language tag, canonicalised. A POSIX name
 * (`en_US.UTF-8`) is read as the tag it stands for; what is neither (`C`, `""`) is skipped,
 * because `new Intl.NumberFormat(tag)` throws a RangeError for it.
 */
export function firstValidLocale(candidates: readonly (string | null | undefined)[], fallback = FALLBACK_LOCALE): string {
  for (const candidate of candidates) {
    if (!candidate) continue;
    for (const tag of [candidate, fromPosix(candidate)]) {
      try {
        const [canonical] = Intl.getCanonicalLocales(tag);
        if (canonical) return canonical;
      } catch {
        // Not well-formed: try the next reading, then the next candidate.
      }
    }
  }
  return fallback;
}

/** `en_US.UTF-8@euro` → `en-US`: how a Linux locale name maps onto a language tag. */
function fromPosix(name: string): string {
  return name.split(/[.@]/)[0]!.replaceAll('_', '-');
}
