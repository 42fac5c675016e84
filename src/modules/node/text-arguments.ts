import {
  defaultFieldResolver,
  getNamedType,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { findUnstorableText, unstorableMessage } from '../../db/storable-text';
import { BadUserInputError } from '../../graphql/errors';
import { ValidationCode } from './domain-error';

/** Scalars whose values are never strings. */
const NOT_TEXT = new Set(['Int', 'Float', 'Boolean']);

/**
 * Whether an argument of this type can carry a string: String, ID or a custom scalar, or an
 * input object holding one.
 */
function carriesText(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (isScalarType(named)) return !NOT_TEXT.has(named.name);
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => carriesText(f.type, seen));
}

/**
 * Refuses, before any resolver runs, every argument string that holds a character the
 * directory cannot keep (see `storable-text.ts`), on every field of the schema that takes one:
 * nested input objects and lists included, and fields added later too, since the guard is
 * installed from the schema itself. A mutation answers `userErrors` with `INVALID_VALUE` and the
 * path of the field (every mutation returns a payload `{ record, userErrors }`); any other field
 * fails with `BAD_USER_INPUT` naming the argument, e.g. `filter.text`.
 */
export function guardTextArguments(schema: GraphQLSchema): void {
  const mutation = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.some((a) => carriesText(a.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const inMutation = type === mutation;
      field.resolve = (source, args, context, info) => {
        const found = findUnstorableText(args);
        if (!found) return resolve(source, args, context, info);
        const name = found.path.join('.');
        if (!inMutation) throw new BadUserInputError(unstorableMessage(name, found), name);
        // Note: as the services' messages do, the message names the field within the input.
        const message = unstorableMessage(found.path.slice(1).join('.') || name, found);
        const userError = { field: found.path, message, code: ValidationCode.INVALID_VALUE };
        return { record: null, userErrors: [userError] };
      };
    }
  }
}
