import { createUnionType } from 'type-graphql';
import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import type { Context } from '../../graphql/context';
import { BadUserInputError } from '../../graphql/errors';
import { fromGlobalId } from '../node/global-id';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { postLoaders } from '../post/post.loaders';
import { unitLoaders } from '../org-unit/org-unit.loaders';

/** The owner of a mission or responsibility. */
export const Owner = createUnionType({
  name: 'Owner',
  description: 'A unit or a post that owns a mission or a responsibility.',
  types: () => [OrgUnit, Post] as const,
});

/** Loads the unit or post that owns a mission or responsibility. */
export async function loadOwner(
  ctx: Context,
  record: { ownerUnitId: string | null; ownerPostId: string | null },
): Promise<OrgUnit | Post> {
  const owner = record.ownerUnitId
    ? await unitLoaders(ctx).unit.load(record.ownerUnitId)
    : await postLoaders(ctx).post.load(record.ownerPostId!);
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
