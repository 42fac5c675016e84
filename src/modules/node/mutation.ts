import { ClassType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { Context } from '../../graphql/context';
import { RequestLoaders } from '../../graphql/loader-utils';
import { DomainError, ValidationCode } from './domain-error';
import { DatabaseBusyError } from '../../graphql/errors';
import { DatabaseBusy, writeTransaction } from '../../db/write-transaction';
import type { WriteContext } from './record-writer';
import { fromGlobalId, NodeType } from './global-id';

registerEnumType(ValidationCode, {
  name: 'UserErrorCode',
  description: 'Stable codes of expected business failures of mutations.',
  valuesConfig: {
    REQUIRED: { description: 'A required field is missing or blank.' },
    TOO_LONG: { description: 'A text field is longer than allowed.' },
    INVALID_SLUG: {
      description: 'A slug is not lower-case words of letters and digits joined by hyphens.',
    },
    INVALID_VALUE: { description: 'A value is out of its allowed range or set.' },
    INVALID_DATE: { description: 'A date is not a real YYYY-MM-DD day.' },
    NOT_FOUND: { description: 'An id names no record of the expected type.' },
    CYCLE: {
      description:
        'The change would put a unit under itself or one of its descendants, or link a record to itself.',
    },
    DATES_OUT_OF_ORDER: { description: 'An end date comes before its start date.' },
    HOLDER_OVERLAP: { description: 'The post already has a holder over part of the period.' },
    SLUG_TAKEN: { description: 'Another record already has this slug.' },
    CONFLICT: {
      description: 'The record changed since `expectedVersion`: reload it and try again.',
    },
    ARCHIVED: { description: 'The record, or the parent it needs, is archived.' },
    HAS_ACTIVE_CHILDREN: {
      description:
        'The unit still has active units below it; archive them first or pass `cascade: true`.',
    },
    HAS_DEPENDENTS: {
      description:
        'Other records still depend on this one (e.g. a mission has responsibilities); delete them first or pass `cascade: true`.',
    },
    INVALID_URL: {
      description:
        'A URL is not an absolute http or https URL with a host and without credentials, or is too long.',
    },
    HOST_NOT_FOUND: { description: 'The host of a URL does not resolve.' },
    ADDRESS_NOT_ALLOWED: {
      description:
        'The host of a URL is, or resolves to, a private, loopback, link-local, unique-local, multicast, unspecified or otherwise reserved address.',
    },
  },
});

/** The fields every mutation of an existing record starts with: which record, at which version. */
@InputType()
export abstract class VersionedInput {
  @Field(() => ID, { description: 'Global id of the record to change.' })
  id: string;

  @Field(() => Int, {
    description:
      'The version the change was made against; a different current version gets CONFLICT and nothing is written.',
  })
  expectedVersion: number;
}

/** An expected business failure of a mutation. */
@ObjectType({
  description: 'Why a mutation did not apply, for a person to read and a program to act on.',
})
export class UserError {
  @Field(() => [String], {
    description: 'Path to the input field at fault, e.g. ["input", "parentId"].',
  })
  field: string[];

  @Field({ description: 'What went wrong, in English.' })
  message: string;

  @Field(() => ValidationCode, { description: 'Stable code of the failure.' })
  code: ValidationCode;
}

/** A mutation's result as resolvers return it. */
export interface Payload<T> {
  record: T | null;
  userErrors: UserError[];
}

/**
 * Builds `<Name>Payload { <field>: T, userErrors }`. The changed object is null when the
 * mutation did not apply.
 */
export function PayloadType<T extends object>(name: string, field: string, type: ClassType<T>) {
  @ObjectType(`${name}Payload`, {
    description: `Result of \`${name[0].toLowerCase()}${name.slice(1)}\`.`,
  })
  class PayloadClass {
    @Field(() => type, {
      name: field,
      nullable: true,
      description: 'The record as it is after the mutation; null when it did not apply.',
    })
    record: T | null;

    @Field(() => [UserError], { description: 'Why the mutation did not apply; empty on success.' })
    userErrors: UserError[];
  }
  return PayloadClass;
}

/**
 * Builds `<Name>Payload { <field>: T, userErrors }` for a mutation that deletes for good: the
 * record comes back as it was, so clients can tell what went away by its id.
 */
export function DeletePayloadType<T extends object>(
  name: string,
  field: string,
  type: ClassType<T>,
) {
  @ObjectType(`${name}Payload`, {
    description: `Result of \`${name[0].toLowerCase()}${name.slice(1)}\`.`,
  })
  class DeletePayloadClass {
    @Field(() => type, {
      name: field,
      nullable: true,
      description:
        'The record as it was just before it was deleted; its id no longer resolves. Null when the mutation did not apply.',
    })
    record: T | null;

    @Field(() => [UserError], { description: 'Why the mutation did not apply; empty on success.' })
    userErrors: UserError[];
  }
  return DeletePayloadClass;
}

/**
 * Runs a mutation in one write transaction as the caller (see `writeTransaction`: it holds the
 * write lock from its first statement). A DomainError rolls everything back and becomes a
 * userError; a wait for the lock past its bound becomes DATABASE_BUSY; any other error
 * propagates (and is masked). On success the request's loaders are replaced, so the payload
 * reads the new state.
 */
export async function runMutation<T>(
  ctx: Context,
  write: (tx: WriteContext) => Promise<T>,
): Promise<Payload<T>> {
  try {
    const record = await writeTransaction(
      ctx.db,
      (em: EntityManager) => write({ em, actor: ctx.principal.actor }),
      { timeoutMs: ctx.config.database.lockTimeoutMs },
    );
    ctx.loaders = new RequestLoaders(ctx.answerTags);
    return { record, userErrors: [] };
  } catch (e) {
    if (e instanceof DatabaseBusy) throw new DatabaseBusyError(e.timeoutMs);
    if (!(e instanceof DomainError)) throw e;
    return {
      record: null,
      userErrors: [{ field: ['input', ...e.field], message: e.message, code: e.code }],
    };
  }
}

/** Decodes an id of the input, or fails the mutation with NOT_FOUND on that field. */
export function inputUuid(id: string, type: NodeType, field: string): string {
  const decoded = fromGlobalId(id);
  if (!decoded || decoded.type !== type) {
    throw new DomainError(
      ValidationCode.NOT_FOUND,
      [field],
      `${field} is not the id of a ${type}.`,
    );
  }
  return decoded.uuid;
}

/** Decodes an optional id of the input: undefined stays undefined, null stays null. */
export function optionalInputUuid(
  id: string | null | undefined,
  type: NodeType,
  field: string,
): string | null | undefined {
  return id == null ? id : inputUuid(id, type, field);
}
