import { newStemmer } from 'snowball-stemmers';

const french = newStemmer('french');

/** Lower-cases, spells out ligatures (œ → oe), strips diacritics and splits into alphanumeric words. */
export function words(text: string): string[] {
  return text
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Normalizes text for the SQLite full-text index: accent-free, lower-case, each word reduced to
 * its French Snowball stem, so that "Préfète" and "prefete" meet at "prefet", as they do in
 * PostgreSQL's `french` configuration.
 */
export function stemText(text: string): string {
  return words(text)
    .map((w) => french.stem(w))
    .join(' ');
}

/** Stems of a search query's words, at most `max` of them. */
export function queryStems(query: string, max = 16): string[] {
  return words(query)
    .slice(0, max)
    .map((w) => french.stem(w));
}

/** Accent-free words of a search query, for PostgreSQL's own stemming. */
export function queryWords(query: string, max = 16): string[] {
  return words(query).slice(0, max);
}
