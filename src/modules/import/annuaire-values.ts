import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { NodeType } from '../node/global-id';
import { OrgUnitKind } from '../org-unit/org-unit-kind';
import { TYPE_ORGANISME } from '../sync/annuaire-format';

/** Namespace of the name-based uuids of imported records, so ids are the same on every database. */
const IMPORT_NAMESPACE = '5da79d22-8503-41b2-8096-5a851f85402c';

/** The uuid an imported record of this type and key always gets (a unit's key: its national id). */
export function importUuid(type: NodeType, key: string): string {
  return uuidv5(`${type}:${key}`, IMPORT_NAMESPACE);
}

/** Lower-case, accent-free text with single spaces, for comparing labels. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

const KINDS = new Map(
  Object.entries(TYPE_ORGANISME).map(([kind, label]) => [fold(label), kind as OrgUnitKind]),
);

/** The unit kind of a `type_organisme` label (case- and accent-insensitive); null if unknown. */
export function kindOf(label: string | null): OrgUnitKind | null {
  return label === null ? null : (KINDS.get(fold(label)) ?? null);
}

/** A short, stable digest of a key, for slugs that must tell apart keys that read alike. */
export function digest(key: string, length = 10): string {
  return createHash('sha256').update(key).digest('hex').slice(0, length);
}

/**
 * Joins slug parts; when the result is longer than a slug may be (120), cuts it and appends a
 * digest of `key`, so that two keys never share a slug.
 */
export function boundedSlug(parts: string[], key: string, max = 120): string {
  const slug = parts.filter(Boolean).join('-');
  if (slug.length <= max) return slug;
  return `${slug.slice(0, max - 11).replace(/-+$/, '')}-${digest(key)}`;
}

const FR_DATE = /^(\d{2})\/(\d{2})\/(\d{4})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?\S*)?$/;

/**
 * A date of the national export: `DD/MM/YYYY` or `DD/MM/YYYY HH:MM:SS` (and, as its query API
 * gives them, ISO dates). Returns the day and a sortable date-time, or null when it is no date.
 */
export function parseAnnuaireDate(value: string): { day: string; at: string } | null {
  const text = value.trim();
  const fr = FR_DATE.exec(text);
  const iso = fr ? null : ISO_DATE.exec(text);
  const m = fr ? [fr[3], fr[2], fr[1], fr[4], fr[5], fr[6]] : iso?.slice(1, 7);
  if (!m) return null;
  const [year, month, date, hours = '00', minutes = '00', seconds = '00'] = m;
  const day = `${year}-${month}-${date}`;
  const at = `${day}T${hours}:${minutes}:${seconds}`;
  const check = new Date(`${at}Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 19) !== at) return null;
  return { day, at };
}

/**
 * The title of a mission text: its first sentence (or first line), cut at a word to at most
 * `max` characters with an ellipsis.
 */
export function missionTitle(text: string, max = 300): string {
  const line = text.trim().split(/\r?\n/)[0].replace(/\s+/g, ' ').trim();
  const sentence = /^.+?[.!?…](?=\s|$)/.exec(line)?.[0] ?? line;
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}

/** Thrown by `decodeNested` when a string that should hold JSON does not parse. */
export class NestedJsonError extends Error {}

/**
 * Undoes the national export's quirk of nested fields encoded as JSON inside strings: a string
 * that looks like a JSON array or object is parsed, at any depth. At the top (`strict`), a
 * string that starts like one and does not parse is an error; below, it is left as text.
 */
export function decodeNested(value: unknown, strict = true, depth = 0): unknown {
  if (depth > 8) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    const looksLikeJson = strict ? /^[[{]/.test(text) : /^(\[[\s\S]*\]|\{[\s\S]*\})$/.test(text);
    if (!looksLikeJson) return value;
    try {
      return decodeNested(JSON.parse(text), false, depth + 1);
    } catch (e) {
      if (strict) throw new NestedJsonError((e as Error).message);
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((v) => decodeNested(v, false, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, decodeNested(v, false, depth + 1)]),
    );
  }
  return value;
}
