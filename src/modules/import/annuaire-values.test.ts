import {
  boundedSlug,
  decodeNested,
  kindOf,
  missionTitle,
  NestedJsonError,
  parseAnnuaireDate,
} from './annuaire-values';
import { slugify } from '../node/slug';

describe('values of the national export', () => {
  it('reads DD/MM/YYYY dates, with or without a time, and ISO ones; refuses days that do not exist', () => {
    expect(parseAnnuaireDate('05/12/2022 10:30:00')).toEqual({
      day: '2022-12-05',
      at: '2022-12-05T10:30:00',
    });
    expect(parseAnnuaireDate('01/02/2023')).toEqual({
      day: '2023-02-01',
      at: '2023-02-01T00:00:00',
    });
    expect(parseAnnuaireDate('2023-01-10T09:00:00+01:00')?.day).toBe('2023-01-10');
    expect(parseAnnuaireDate('31/02/2023')).toBeNull();
    expect(parseAnnuaireDate('12/2023')).toBeNull();
  });

  it('maps type_organisme labels to kinds, ignoring case and accents', () => {
    expect(kindOf('Préfecture')).toBe('PREFECTURE');
    expect(kindOf('sous-prefecture')).toBe('SUBPREFECTURE');
    expect(kindOf('ETABLISSEMENT PUBLIC')).toBe('OFFICE');
    expect(kindOf('direction')).toBe('DIRECTORATE');
    expect(kindOf('Comité consultatif')).toBeNull();
  });

  it('titles a mission by its first sentence or line, cut at a word to 300 characters', () => {
    expect(missionTitle('Représenter l’État. Veiller aux lois.')).toBe('Représenter l’État.');
    expect(missionTitle('Première ligne sans point\nSeconde ligne.')).toBe(
      'Première ligne sans point',
    );
    const long = missionTitle(`${'mot '.repeat(200)}fin.`);
    expect(long.length).toBeLessThanOrEqual(300);
    expect(long).toMatch(/mot…$/);
  });

  it('decodes JSON inside strings at any depth; a broken one at the top is an error', () => {
    const inner = JSON.stringify({ nom: 'Testeuse' });
    expect(decodeNested(JSON.stringify([{ fonction: 'Cheffe', personne: inner }]))).toEqual([
      { fonction: 'Cheffe', personne: { nom: 'Testeuse' } },
    ]);
    expect(decodeNested('texte libre')).toBe('texte libre');
    expect(() => decodeNested('[{"service": ')).toThrow(NestedJsonError);
    expect(decodeNested({ nom: '[sic' })).toEqual({ nom: '[sic' });
  });

  it('makes slugs that fit, telling long keys apart', () => {
    expect(slugify('Chargée de mission « Œuvres »')).toBe('chargee-de-mission-oeuvres');
    const a = boundedSlug(['annuaire', 'x'.repeat(200)], 'a');
    const b = boundedSlug(['annuaire', 'x'.repeat(200)], 'b');
    expect(a.length).toBeLessThanOrEqual(120);
    expect(a).not.toBe(b);
  });
});
