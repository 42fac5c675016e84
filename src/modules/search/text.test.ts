import { queryStems, queryWords, stemText, words } from './text';

describe('words', () => {
  it('lower-cases, strips accents and splits on anything that is not a letter or digit', () => {
    expect(words("Bureau de la Représentation de l'État")).toEqual([
      'bureau',
      'de',
      'la',
      'representation',
      'de',
      'l',
      'etat',
    ]);
    expect(words('Préfète de Seine-et-Marne')).toEqual(['prefete', 'de', 'seine', 'et', 'marne']);
  });

  it('folds every French accent, in both cases', () => {
    expect(words('àâä éèêë îï ôö ùûü ÿ ç ÀÂÄ ÉÈÊË ÎÏ ÔÖ ÙÛÜ Ÿ Ç')).toEqual([
      'aaa',
      'eeee',
      'ii',
      'oo',
      'uuu',
      'y',
      'c',
      'aaa',
      'eeee',
      'ii',
      'oo',
      'uuu',
      'y',
      'c',
    ]);
  });

  it('folds decomposed accents the same as precomposed ones', () => {
    expect(words('se\u0301curite\u0301')).toEqual(words('sécurité'));
  });

  it('keeps digits and drops punctuation, quotes and blanks', () => {
    expect(words('  « PPI » (2015) — SEVESO seuil-haut… ')).toEqual([
      'ppi',
      '2015',
      'seveso',
      'seuil',
      'haut',
    ]);
    expect(words(' -- « » ')).toEqual([]);
  });

  // Note: the ligatures œ and æ are letters of their own that NFD leaves alone; unaccent
  // spells them out, and so must the SQLite side.
  it('spells the ligatures œ and æ out, as unaccent does, instead of cutting the word', () => {
    expect(words('Cœur')).toEqual(['coeur']);
    expect(words('manœuvre')).toEqual(['manoeuvre']);
    expect(words('ex æquo')).toEqual(['ex', 'aequo']);
  });
});

describe('stemText and queryStems', () => {
  it('makes "Préfète" and "prefete" meet, and the préfet too', () => {
    expect(stemText('Préfète')).toBe(stemText('prefete'));
    expect(stemText('Préfète')).toBe(stemText('préfet'));
    expect(queryStems('prefete')).toEqual([stemText('Préfète')]);
  });

  it('makes "sécurité routière" and "securite routiere" meet', () => {
    expect(stemText('sécurité routière')).toBe(stemText('securite routiere'));
    expect(queryStems('securite routiere')).toEqual(stemText('Sécurité routière').split(' '));
  });

  it('makes singular and plural meet', () => {
    expect(stemText('Direction des sécurités')).toBe(stemText('direction des securite'));
  });

  it('is case-insensitive', () => {
    expect(stemText('ORSEC')).toBe(stemText('orsec'));
    expect(stemText('SÉCURITÉ ROUTIÈRE')).toBe(stemText('sécurité routière'));
  });

  it('gives one stem per word, space-separated', () => {
    expect(stemText('Plans particuliers')).toMatch(/^[a-z0-9]+ [a-z0-9]+$/);
    expect(stemText('')).toBe('');
  });

  it('keeps at most 16 words of a query by default, or the maximum given', () => {
    const query = Array.from({ length: 20 }, (_, i) => `mot${i}`).join(' ');
    expect(queryStems(query)).toHaveLength(16);
    expect(queryStems(query, 3)).toEqual(['mot0', 'mot1', 'mot2']);
  });
});

describe('queryWords', () => {
  it('gives accent-free, lower-case words without stemming them', () => {
    expect(queryWords('Sécurité Routière')).toEqual(['securite', 'routiere']);
  });

  it('keeps at most 16 words by default, or the maximum given', () => {
    const query = Array.from({ length: 20 }, (_, i) => `mot${i}`).join(' ');
    expect(queryWords(query)).toHaveLength(16);
    expect(queryWords(query, 2)).toEqual(['mot0', 'mot1']);
  });

  it('gives nothing for a query without words', () => {
    expect(queryWords(' « » -- ')).toEqual([]);
    expect(queryStems(' « » -- ')).toEqual([]);
  });
});
