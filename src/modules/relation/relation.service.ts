import { Relation } from './relation.entity';
import { RelationType } from './relation-type';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { DomainError } from '../../graphql/errors';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import {
  optionalText,
  requireEnum,
  requireFound,
  requireSlug,
  ValidationCode,
} from '../node/validate';

/** What a caller gives to create or update a relation; exactly one target. */
export interface RelationInput {
  uuid?: string;
  slug: string;
  type: RelationType;
  fromUnitId: string;
  toUnitId?: string | null;
  toPostId?: string | null;
  description?: string | null;
}

/** Writes relations. */
export class RelationService {
  constructor(private readonly writer: RecordWriter) {}

  /** Creates the relation with this slug, or updates it where it differs. */
  async upsert(
    ctx: WriteContext,
    input: RelationInput,
  ): Promise<{ record: Relation; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const units = ctx.em.getRepository(OrgUnit);
    requireFound('fromUnitId', await units.findOneBy({ uuid: input.fromUnitId }), 'unit');
    if (!!input.toUnitId === !!input.toPostId) {
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['toUnitId'],
        'Give exactly one target: a unit or a post.',
      );
    }
    if (input.toUnitId) {
      requireFound('toUnitId', await units.findOneBy({ uuid: input.toUnitId }), 'unit');
      if (input.toUnitId === input.fromUnitId) {
        throw new DomainError(
          ValidationCode.CYCLE,
          ['toUnitId'],
          'A relation cannot link a unit to itself.',
        );
      }
    } else {
      requireFound(
        'toPostId',
        await ctx.em.getRepository(Post).findOneBy({ uuid: input.toPostId! }),
        'post',
      );
    }
    const data = {
      slug,
      type: requireEnum('type', input.type, RelationType),
      fromUnitId: input.fromUnitId,
      toUnitId: input.toUnitId ?? null,
      toPostId: input.toPostId ?? null,
      description: optionalText('description', input.description, 2000),
    };
    return this.writer.upsert(ctx, Relation, { uuid: input.uuid, slug }, data, null);
  }
}
