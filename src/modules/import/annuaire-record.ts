import type { OrgUnitKind } from '../org-unit/org-unit-kind';
import type { ImportProblem } from './import-report';
import { decodeNested, fold, kindOf, NestedJsonError, parseAnnuaireDate } from './annuaire-values';

/** One person named in `affectation_personne`. */
export interface AnnuairePerson {
  familyName: string;
  givenName: string | null;
  grade: string | null;
}

/** One `service` of the national export, read, checked and normalized. */
export interface AnnuaireRecord {
  /** Position in the file's `service` list. */
  index: number;
  /** The national id, lower-cased. */
  id: string;
  name: string;
  acronym: string | null;
  /** The kind its `type_organisme` names; null when it names none. */
  kind: OrgUnitKind | null;
  /** `Service Fils` links: the children, in their order (`at`: index in `hierarchie`). */
  children: Array<{ id: string; at: number }>;
  /** `Autre hiérarchie` links: units placed under this one's authority. */
  underAuthority: Array<{ id: string; at: number }>;
  holders: Array<{ fonction: string; person: AnnuairePerson | null }>;
  mission: string | null;
  /** `date_modification`, when it is a date. */
  modified: { day: string; at: string } | null;
  /** Identifiers other than the national id: `itm`, `siret`, `siren`. */
  identifiers: Array<{ scheme: 'itm' | 'siret' | 'siren'; value: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fields of plain text: never decoded from JSON-in-strings. */
const TEXT_FIELDS = new Set([
  'id',
  'nom',
  'sigle',
  'type_organisme',
  'categorie',
  'mission',
  'date_creation',
  'date_modification',
  'itm_identifiant',
  'siren',
  'siret',
  'url_service_public',
]);

/** A record that cannot be read; `reason` says why. */
class Malformed extends Error {}

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function list(record: Record<string, unknown>, field: string): unknown[] {
  const value = record[field];
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) throw new Malformed(`${field} is not a list`);
  return value;
}

function identifier(value: unknown, max = 100): string | null {
  const v = text(value)?.replace(/\s+/g, '');
  return v && v.length <= max ? v : null;
}

/**
 * Reads one record of the `service` list. Returns the record and its warnings, or the reason it
 * is malformed: not an object, no id, an id that is not a UUID, no nom, a nested field whose
 * JSON-in-string does not parse or that is not a list.
 */
export function readRecord(
  raw: unknown,
  index: number,
): { record: AnnuaireRecord; warnings: string[] } | { reason: string; id?: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { reason: 'not an object' };
  const rawId = text((raw as Record<string, unknown>).id);
  const id = rawId && UUID.test(rawId) ? rawId.toLowerCase() : undefined;
  try {
    if (!rawId) throw new Malformed('no id');
    if (!id) throw new Malformed(`id "${rawId.slice(0, 60)}" is not a UUID`);
    const record: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(raw)) {
      try {
        record[field] = TEXT_FIELDS.has(field) ? value : decodeNested(value);
      } catch (e) {
        if (e instanceof NestedJsonError)
          throw new Malformed(`${field} holds JSON that does not parse: ${e.message}`);
        throw e;
      }
    }
    return read(record, index, id);
  } catch (e) {
    if (e instanceof Malformed) return { reason: e.message, id };
    throw e;
  }
}

function read(
  r: Record<string, unknown>,
  index: number,
  id: string,
): { record: AnnuaireRecord; warnings: string[] } {
  const warnings: string[] = [];
  const name = text(r.nom);
  if (!name) throw new Malformed('no nom');
  if (name.length > 300) throw new Malformed('nom is longer than 300 characters');
  let acronym = text(r.sigle);
  if (acronym && acronym.length > 40) {
    warnings.push(`sigle "${acronym.slice(0, 60)}" is longer than 40 characters: left out`);
    acronym = null;
  }
  const type = text(r.type_organisme);
  const kind = kindOf(type);
  if (!kind)
    warnings.push(
      `${type ? `unknown type_organisme "${type}"` : 'no type_organisme'}: a new unit is a SERVICE, an existing one keeps its kind`,
    );
  const children: AnnuaireRecord['children'] = [];
  const underAuthority: AnnuaireRecord['underAuthority'] = [];
  list(r, 'hierarchie').forEach((entry, at) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const target = text(e.service);
    const type = fold(text(e.type_hierarchie) ?? '');
    if (!target || !UUID.test(target))
      warnings.push(`hierarchie[${at}] names no service UUID: ignored`);
    else if (type === 'service fils') children.push({ id: target.toLowerCase(), at });
    else if (type === 'autre hierarchie') underAuthority.push({ id: target.toLowerCase(), at });
    else warnings.push(`hierarchie[${at}] has an unknown type_hierarchie: ignored`);
  });
  const holders = readHolders(list(r, 'affectation_personne'), warnings);
  const mission = typeof r.mission === 'string' && r.mission.trim() ? r.mission.trim() : null;
  const modifiedText = text(r.date_modification);
  const modified = modifiedText ? parseAnnuaireDate(modifiedText) : null;
  if (modifiedText && !modified)
    warnings.push(`date_modification "${modifiedText.slice(0, 40)}" is not a date: ignored`);
  const identifiers: AnnuaireRecord['identifiers'] = [];
  for (const [scheme, field] of [
    ['itm', 'itm_identifiant'],
    ['siret', 'siret'],
    ['siren', 'siren'],
  ] as const) {
    const value = identifier(r[field]);
    if (value) identifiers.push({ scheme, value });
    else if (text(r[field])) warnings.push(`${field} is not an identifier: ignored`);
  }
  return {
    record: {
      index,
      id,
      name,
      acronym,
      kind,
      children,
      underAuthority,
      holders,
      mission,
      modified,
      identifiers,
    },
    warnings,
  };
}

/** `affectation_personne` entries; unusable entries are left out with a warning. */
function readHolders(entries: unknown[], warnings: string[]): AnnuaireRecord['holders'] {
  const holders: AnnuaireRecord['holders'] = [];
  entries.forEach((entry, at) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const fonction = text(e.fonction);
    if (!fonction || fonction.length > 300) {
      warnings.push(
        `affectation_personne[${at}] has ${fonction ? 'a fonction over 300 characters' : 'no fonction'}: ignored`,
      );
      return;
    }
    const p =
      e.personne && typeof e.personne === 'object' ? (e.personne as Record<string, unknown>) : {};
    const familyName = text(p.nom);
    const givenName = text(p.prenom);
    const grade = text(p.grade);
    if ([familyName, givenName, grade].some((v) => v && v.length > 120)) {
      warnings.push(`affectation_personne[${at}] has a name or grade over 120 characters: ignored`);
      return;
    }
    holders.push({ fonction, person: familyName ? { familyName, givenName, grade } : null });
  });
  return holders;
}

/**
 * Reads the parsed JSON of a file: `{"service": [...]}`. Returns the readable records and the
 * problems of the others (malformed, or an id given twice), with warnings; null when the root
 * is not of that shape.
 */
export function readServices(
  json: unknown,
): { records: AnnuaireRecord[]; problems: ImportProblem[]; total: number } | null {
  const list = (json as { service?: unknown } | null)?.service;
  if (!Array.isArray(list)) return null;
  const records: AnnuaireRecord[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw, index) => {
    const read = readRecord(raw, index);
    if ('reason' in read) {
      problems.push({ index, id: read.id, kind: 'malformed', reason: read.reason });
      return;
    }
    const { record, warnings } = read;
    const first = seen.get(record.id);
    if (first !== undefined) {
      const reason = `id given twice (first at service[${first}])`;
      problems.push({ index, id: record.id, kind: 'malformed', reason });
      return;
    }
    seen.set(record.id, index);
    records.push(record);
    for (const reason of warnings) problems.push({ index, id: record.id, kind: 'warning', reason });
  });
  return { records, problems, total: list.length };
}
