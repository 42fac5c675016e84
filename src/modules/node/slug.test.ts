import { slugify } from './slug';

describe('slugify', () => {
  it('makes lower-case ASCII words joined by single hyphens, accents stripped', () => {
    expect(slugify('Préfecture de l’Hérault')).toBe('prefecture-de-l-herault');
    expect(slugify('  Bureau — des  élections (BE) ')).toBe('bureau-des-elections-be');
    expect(slugify('Direction départementale des territoires et de la mer')).toBe(
      'direction-departementale-des-territoires-et-de-la-mer',
    );
  });

  it('spells out ligatures in either case, including the capital sharp s', () => {
    expect(slugify('Œuvres æ Æ œ ß')).toBe('oeuvres-ae-ae-oe-ss');
    expect(slugify('STRAẞE')).toBe('strasse');
    expect(slugify('Ǣ ǽ')).toBe('ae-ae');
  });

  it('is empty when the text has no letter or digit', () => {
    expect(slugify(' « — » ')).toBe('');
  });
});
