import { DomainError, ValidationCode } from './domain-error';
import { findUnstorableText, unstorableMessage } from '../../db/storable-text';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a required text field: present, trimmed non-empty, at most `max` characters. */
export function requireText(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DomainError(ValidationCode.REQUIRED, [field], `${field} is required.`);
  }
  return optionalText(field, value, max) as string;
}

/** Checks an optional text field: null/undefined, or at most `max` characters. */
export function optionalText(field: string, value: unknown, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string')
    throw new DomainError(ValidationCode.INVALID_VALUE, [field], `${field} must be text.`);
  if (value.length > max) {
    throw new DomainError(
      ValidationCode.TOO_LONG,
      [field],
      `${field} is longer than ${max} characters.`,
    );
  }
  return value;
}

/**
 * Fails with INVALID_VALUE when a string anywhere in `data` holds a character that the database
 * cannot keep (see `storable-text.ts`). The record writer runs it on everything it writes, so
 * every writer (API, import, seed) meets the same rule.
 */
export function requireStorableText(data: object, path: string[] = []): void {
  const found = findUnstorableText(data, path);
  if (found)
    throw new DomainError(
      ValidationCode.INVALID_VALUE,
      found.path,
      unstorableMessage(found.path.join('.'), found),
    );
}

/** Checks a slug: lower-case words of letters and digits joined by single hyphens. */
export function requireSlug(value: unknown, field = 'slug'): string {
  const slug = requireText(field, value, 120);
  if (!SLUG.test(slug)) {
    throw new DomainError(
      ValidationCode.INVALID_SLUG,
      [field],
      `${field} must be lower-case letters and digits joined by single hyphens, e.g. "bureau-du-cabinet".`,
    );
  }
  return slug;
}

/** Checks that a value belongs to an enum. */
export function requireEnum<E extends string>(
  field: string,
  value: unknown,
  values: Record<string, E>,
): E {
  if (!Object.values(values).includes(value as E)) {
    throw new DomainError(
      ValidationCode.INVALID_VALUE,
      [field],
      `${field} must be one of ${Object.values(values).join(', ')}.`,
    );
  }
  return value as E;
}

/** Checks an optional calendar day (YYYY-MM-DD) that exists. */
export function optionalDay(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const day = typeof value === 'string' && DAY.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  const ok =
    day !== null && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
  if (!ok)
    throw new DomainError(
      ValidationCode.INVALID_DATE,
      [field],
      `${field} must be a date YYYY-MM-DD.`,
    );
  return value as string;
}

/** Fails with NOT_FOUND when a referenced record does not exist. */
export function requireFound<T>(field: string, value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) {
    throw new DomainError(ValidationCode.NOT_FOUND, [field], `${field} names no existing ${what}.`);
  }
  return value;
}

/** Checks a position among siblings: a whole number from 0 to 1000000. */
export function requirePosition(value: unknown, field = 'position'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000) {
    throw new DomainError(
      ValidationCode.INVALID_VALUE,
      [field],
      `${field} must be a whole number from 0 to 1000000.`,
    );
  }
  return value;
}
