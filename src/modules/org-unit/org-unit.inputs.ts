import { Field, ID, InputType, Int } from 'type-graphql';
import { VersionedInput } from '../node/mutation';
import { OrgUnitKind } from './org-unit-kind';

@InputType({ description: 'A new unit.' })
export class CreateUnitInput {
  @Field({ description: 'Stable, unique key: lower-case words joined by hyphens.' })
  slug: string;

  @Field({ description: 'Official name (1 to 300 characters).' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Acronym, up to 40 characters.' })
  acronym?: string | null;

  @Field(() => OrgUnitKind, { description: 'Kind of unit.' })
  kind: OrgUnitKind;

  @Field(() => String, { nullable: true, description: 'Free-text description.' })
  description?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Parent unit; none for a top unit. It must exist and be active.',
  })
  parentId?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Position among the siblings; default: after the last one.',
  })
  position?: number | null;
}

@InputType({
  description: 'Changes to the descriptive fields of a unit; absent fields are left as they are.',
})
export class UpdateUnitInput extends VersionedInput {
  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string;

  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'New acronym; null removes it.' })
  acronym?: string | null;

  @Field(() => OrgUnitKind, { nullable: true, description: 'New kind.' })
  kind?: OrgUnitKind;

  @Field(() => String, { nullable: true, description: 'New description; null removes it.' })
  description?: string | null;
}

@InputType({ description: 'A new place in the tree for a unit.' })
export class MoveUnitInput extends VersionedInput {
  @Field(() => ID, {
    nullable: true,
    description:
      'New parent; null makes it a top unit; absent keeps the parent. It must be active and not below the unit.',
  })
  parentId?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'New position among the siblings; absent keeps it, or puts it last under a new parent.',
  })
  position?: number | null;
}

@InputType({ description: 'A unit to archive (soft delete).' })
export class ArchiveUnitInput extends VersionedInput {
  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'Also archive every active unit below it; without it, a unit with active children is refused.',
  })
  cascade: boolean;
}

@InputType({ description: 'An archived unit to restore.' })
export class RestoreUnitInput extends VersionedInput {}
