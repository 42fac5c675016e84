import { Field, ID, InputType, Int } from 'type-graphql';
import { VersionedInput } from '../node/mutation';
import { DomainError, ValidationCode } from '../node/domain-error';
import { fromGlobalId } from '../node/global-id';
import type { Owner } from './owner.rules';

/**
 * Decodes the global id of a unit or a post given in an input (an owner, a relation's target),
 * or fails the mutation with NOT_FOUND on that field. Exactly one of the uuids is set.
 */
export function inputUnitOrPost(
  id: string,
  field: string,
): { unitId: string | null; postId: string | null } {
  const decoded = fromGlobalId(id);
  if (!decoded || (decoded.type !== 'OrgUnit' && decoded.type !== 'Post')) {
    throw new DomainError(
      ValidationCode.NOT_FOUND,
      [field],
      `${field} is not the id of an OrgUnit or a Post.`,
    );
  }
  return decoded.type === 'OrgUnit'
    ? { unitId: decoded.uuid, postId: null }
    : { unitId: null, postId: decoded.uuid };
}

/** Decodes the `ownerId` of a mission or responsibility input. */
export function inputOwner(id: string): Owner {
  const { unitId, postId } = inputUnitOrPost(id, 'ownerId');
  return { ownerUnitId: unitId, ownerPostId: postId };
}

@InputType({ description: 'A new mission of a unit or a post.' })
export class CreateMissionInput {
  @Field({ description: 'Stable, unique key: lower-case words joined by hyphens.' })
  slug: string;

  @Field({ description: 'Short statement of the mission (1 to 300 characters).' })
  title: string;

  @Field(() => String, { nullable: true, description: 'Longer statement.' })
  description?: string | null;

  @Field(() => ID, {
    description: 'The unit or post (global id of either) that has the mission; it must be active.',
  })
  ownerId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The active unit that carries the mission out, if not its owner.',
  })
  carriedOutById?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Position among the missions of the owner; default: after the last one.',
  })
  position?: number | null;
}

@InputType({
  description: 'Changes to a mission; absent fields are left as they are.',
})
export class UpdateMissionInput extends VersionedInput {
  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string;

  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string;

  @Field(() => String, { nullable: true, description: 'New description; null removes it.' })
  description?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'New owner, an active unit or post; the mission’s responsibilities follow it.',
  })
  ownerId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'New carrying unit; null removes it.',
  })
  carriedOutById?: string | null;

  @Field(() => Int, { nullable: true, description: 'New position among the owner’s missions.' })
  position?: number | null;
}

@InputType({ description: 'A mission to delete for good.' })
export class DeleteMissionInput extends VersionedInput {
  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'Also delete its responsibilities; without it, a mission with responsibilities is refused (HAS_DEPENDENTS).',
  })
  cascade: boolean;
}

@InputType({
  description:
    'A new responsibility: of a mission (whose owner it takes) or directly of a unit or post. Give `missionId` or `ownerId`, not both.',
})
export class CreateResponsibilityInput {
  @Field({ description: 'Stable, unique key: lower-case words joined by hyphens.' })
  slug: string;

  @Field({ description: 'Short statement of the responsibility (1 to 300 characters).' })
  title: string;

  @Field(() => String, { nullable: true, description: 'Longer statement.' })
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Reference of a plan or text, e.g. ORSEC, up to 80 characters.',
  })
  reference?: string | null;

  @Field(() => ID, { nullable: true, description: 'The mission it belongs to.' })
  missionId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The active unit or post it belongs to directly, when it has no mission.',
  })
  ownerId?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Position among its siblings; default: after the last one.',
  })
  position?: number | null;
}

@InputType({
  description: 'Changes to a responsibility; absent fields are left as they are.',
})
export class UpdateResponsibilityInput extends VersionedInput {
  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string;

  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string;

  @Field(() => String, { nullable: true, description: 'New description; null removes it.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'New reference; null removes it.' })
  reference?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'New mission, whose owner it takes; null detaches it from its mission, keeping the owner.',
  })
  missionId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'New owner, an active unit or post; only for a responsibility without mission.',
  })
  ownerId?: string | null;

  @Field(() => Int, { nullable: true, description: 'New position among its siblings.' })
  position?: number | null;
}

@InputType({ description: 'A responsibility to delete for good.' })
export class DeleteResponsibilityInput extends VersionedInput {}
