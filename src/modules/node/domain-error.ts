/** Stable codes of expected failures of writes (the `code` of a DomainError). */
export enum ValidationCode {
  REQUIRED = 'REQUIRED',
  TOO_LONG = 'TOO_LONG',
  INVALID_SLUG = 'INVALID_SLUG',
  INVALID_VALUE = 'INVALID_VALUE',
  INVALID_DATE = 'INVALID_DATE',
  NOT_FOUND = 'NOT_FOUND',
  CYCLE = 'CYCLE',
  DATES_OUT_OF_ORDER = 'DATES_OUT_OF_ORDER',
  HOLDER_OVERLAP = 'HOLDER_OVERLAP',
  SLUG_TAKEN = 'SLUG_TAKEN',
  CONFLICT = 'CONFLICT',
  ARCHIVED = 'ARCHIVED',
  HAS_ACTIVE_CHILDREN = 'HAS_ACTIVE_CHILDREN',
  HAS_DEPENDENTS = 'HAS_DEPENDENTS',
  INVALID_URL = 'INVALID_URL',
  HOST_NOT_FOUND = 'HOST_NOT_FOUND',
  ADDRESS_NOT_ALLOWED = 'ADDRESS_NOT_ALLOWED',
}

/**
 * An expected business failure in a write (invalid value, unknown reference, cycle…). Services
 * throw it; a mutation rolls back and returns it as a userError (`runMutation`), seeds and
 * imports report it with the file and record at fault. It knows nothing of GraphQL, which names
 * the enum of its codes `UserErrorCode`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ValidationCode,
    /** Path to the input field at fault, relative to the input. */
    readonly field: string[],
    message: string,
  ) {
    super(message);
  }
}
