/**
 * The slug form of a text: lower-case ASCII letters and digits in words joined by single hyphens,
 * accents stripped and ligatures spelled out (œ → oe, æ → ae, ß → ss, in either case); empty
 * when the text has no letter or digit. The one rule of every slug made from a name (imported
 * records, the synthetic directory): the ids of both are derived from their slugs, so changing
 * the rule would change them.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
