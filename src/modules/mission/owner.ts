import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import type { Context } from '../../graphql/context';
import { BadUserInputError } from '../../graphql/errors';
import { fromGlobalId } from '../../graphql/global-id';
import type { OrgUnit } from '../org-unit/org-unit.entity';
import type { Post } from '../post/post.entity';

/** Loads the unit or post that owns a mission or responsibility. */
export async function loadOwner(
  ctx: Context,
  record: { ownerUnitId: string | null; ownerPostId: string | null },
): Promise<OrgUnit | Post> {
  const owner = record.ownerUnitId
    ? await ctx.loaders.unit.load(record.ownerUnitId)
    : await ctx.loaders.post.load(record.ownerPostId!);
  return owner!;
}

/** Adds an "owned by this unit or post" condition from a global id filter argument. */
export function whereOwner<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  ownerId: string,
): void {
  const owner = fromGlobalId(ownerId);
  if (!owner || (owner.type !== 'OrgUnit' && owner.type !== 'Post')) {
    throw new BadUserInputError(
      'filter.ownerId is not a valid OrgUnit or Post id.',
      'filter.ownerId',
    );
  }
  const column = owner.type === 'OrgUnit' ? 'ownerUnitId' : 'ownerPostId';
  qb.andWhere(`${alias}.${column} = :owner`, { owner: owner.uuid });
}
