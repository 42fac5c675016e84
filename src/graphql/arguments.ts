import type { Context } from './context';
import { BadUserInputError } from './errors';

/**
 * Checks a free-text argument (search query, text filter, slug): not blank, no NUL and no longer
 * than the configured maximum. Returns it trimmed.
 */
export function checkText(ctx: Context, value: string, argumentName: string): string {
  const max = ctx.config.limits.searchMaxLength;
  if (value.trim() === '')
    throw new BadUserInputError(`${argumentName} must not be empty.`, argumentName);
  // Note: PostgreSQL text cannot hold NUL; passed on, it would fail the statement as a 500.
  if (value.includes('\u0000'))
    throw new BadUserInputError(`${argumentName} must not contain NUL characters.`, argumentName);
  if (value.length > max) {
    throw new BadUserInputError(`${argumentName} is longer than ${max} characters.`, argumentName, {
      max,
    });
  }
  return value.trim();
}
