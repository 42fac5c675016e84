import type { Context } from './context';
import { BadUserInputError } from './errors';

/**
 * Checks a free-text argument (search query, text filter, slug): not blank and no longer than the
 * configured maximum. Returns it trimmed. Characters the database cannot keep (NUL…) never reach
 * it: `guardTextArguments` refuses them for every argument of the schema.
 */
export function checkText(ctx: Context, value: string, argumentName: string): string {
  const max = ctx.config.limits.searchMaxLength;
  if (value.trim() === '')
    throw new BadUserInputError(`${argumentName} must not be empty.`, argumentName);
  if (value.length > max) {
    throw new BadUserInputError(`${argumentName} is longer than ${max} characters.`, argumentName, {
      max,
    });
  }
  return value.trim();
}
