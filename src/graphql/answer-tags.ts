import { defaultFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
import { Extensions } from 'type-graphql';

/**
 * What an answer read, as tags: a committed write invalidates the cached answers that carry one
 * of the tags it touches (see `tagsOfChange`). The tags, coarsest last:
 * - `<Type>:<uuid>`: one record, as loaded by id (or found by a unique key);
 * - `sub:<uuid>`: everything whose change-log scope holds that unit, i.e. every record of its
 *   subtree, in it before or after the write (trees, children, the posts of a unit…);
 * - `type:<Type>`: every record of a type (lists, counts, search, a lookup that found nothing);
 * - `all`: every write (an answer whose reads are not tagged field by field).
 */
export const GLOBAL_TAG = 'all';

export const recordTag = (type: string, uuid: string) => `${type}:${uuid}`;
export const subtreeTag = (unitUuid: string) => `sub:${unitUuid}`;
export const typeTag = (type: string) => `type:${type}`;

/** The tags of one change-log entry: what a cached answer must carry to be invalidated by it. */
export function tagsOfChange(entityType: string, entityId: string, scope: string): string[] {
  const tags = [GLOBAL_TAG, typeTag(entityType), recordTag(entityType, entityId)];
  // Note: `*` (records of no subtree, sources) touches no subtree: answers that show a source
  // loaded it by id, and a change of citations is logged on the citing record.
  for (const unit of scope.split(' ')) if (unit && unit !== '*') tags.push(subtreeTag(unit));
  return tags;
}

/** The tags one request's answer read, filled by the loaders and the tagged resolvers. */
export class AnswerTags {
  readonly tags = new Set<string>();
  /** Units below a subtree tag of this answer, whose own tags that tag already covers. */
  private readonly covered = new Set<string>();

  add(tag: string): void {
    if (this.covered.size > 0) {
      const colon = tag.indexOf(':');
      const kind = tag.slice(0, colon);
      if ((kind === 'sub' || kind === 'OrgUnit') && this.covered.has(tag.slice(colon + 1))) return;
    }
    this.tags.add(tag);
  }

  /**
   * Tags the subtree of `root`, read with `units` in it: a write logged on one of them, or on a
   * record of its subtree, has `root` in its scope too (scopes hold every ancestor), and one that
   * took a unit out of the subtree touched `root` already; so their own `sub:` and record tags
   * are left out, which keeps a large chart's `Surrogate-Key` short.
   */
  coverSubtree(root: string, units: Iterable<string>): void {
    for (const unit of units) {
      this.covered.add(unit);
      this.tags.delete(subtreeTag(unit));
      this.tags.delete(recordTag('OrgUnit', unit));
    }
    this.tags.add(subtreeTag(root));
  }

  /** The answer depends on something no finer tag covers: any write invalidates it. */
  global(): void {
    this.tags.add(GLOBAL_TAG);
  }
}

const TAGGED = 'answerTags';

/**
 * Marks a query or field resolver whose reads are tagged: through the loaders (which tag what
 * they load) or by adding tags itself. A resolver without it makes its answer depend on every
 * write (`guardUntaggedFields`), so that forgetting to tag costs hits, never correctness.
 */
export const Tagged = () => Extensions({ [TAGGED]: true });

/**
 * Wraps every field that runs a resolver of its own and is not marked `@Tagged()`: executing it
 * tags the answer `all`. Plain fields (graphql-js reads the property) read nothing: the record
 * they belong to was tagged when loaded.
 */
export function guardUntaggedFields(schema: GraphQLSchema): string[] {
  const untagged: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || field.resolve === defaultFieldResolver) continue;
      if (field.extensions?.[TAGGED]) continue;
      untagged.push(`${type.name}.${field.name}`);
      const resolve = field.resolve;
      field.resolve = (source, args, context: { answerTags?: AnswerTags }, info) => {
        context.answerTags?.global();
        return resolve(source, args, context, info);
      };
    }
  }
  return untagged;
}
