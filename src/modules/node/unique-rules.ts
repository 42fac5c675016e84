import { DomainError, ValidationCode } from './domain-error';

/**
 * The rules that partial unique indexes also enforce, with the userError the service gives when
 * its own check finds the breach first. A write that passes the check (a writer outside the
 * write lock) and meets the index gets the same answer, never an internal error.
 */
const RULES: Array<{ index: string; sqliteColumns: string; error: () => DomainError }> = [
  {
    index: 'UQ_post_active_head',
    sqliteColumns: 'post.unitId',
    error: () =>
      new DomainError(
        ValidationCode.INVALID_VALUE,
        ['isHead'],
        'The unit already has an active head post.',
      ),
  },
  {
    index: 'UQ_appointment_open',
    sqliteColumns: 'appointment.postId',
    error: () =>
      new DomainError(
        ValidationCode.HOLDER_OVERLAP,
        ['startDate'],
        'The post already has a holder over part of this period.',
      ),
  },
];

/**
 * The userError of a unique violation: the rule whose index it names (PostgreSQL gives the
 * index, SQLite the columns), else SLUG_TAKEN when the write sets a slug; null for other errors.
 */
export function uniqueViolationError(e: unknown, slug: string | undefined): DomainError | null {
  const driver = (e as { driverError?: { code?: string; constraint?: string; message?: string } })
    .driverError;
  const unique =
    driver?.code === '23505' ||
    driver?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    driver?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (!unique) return null;
  const rule = RULES.find((r) =>
    driver?.code === '23505'
      ? driver.constraint === r.index
      : (driver?.message ?? '').endsWith(`: ${r.sqliteColumns}`),
  );
  if (rule) return rule.error();
  return slug === undefined
    ? null
    : new DomainError(ValidationCode.SLUG_TAKEN, ['slug'], `The slug "${slug}" is already taken.`);
}
