import { Field, ID, InputType, Int } from 'type-graphql';
import { VersionedInput } from '../node/mutation';

@InputType({ description: 'A new post in a unit.' })
export class CreatePostInput {
  @Field({ description: 'Stable, unique key: lower-case words joined by hyphens.' })
  slug: string;

  @Field({ description: 'Title of the post (1 to 300 characters).' })
  title: string;

  @Field(() => String, { nullable: true, description: 'Free-text description.' })
  description?: string | null;

  @Field(() => ID, { description: 'The unit of the post. It must exist and be active.' })
  unitId: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'True when the post heads its unit; a unit has at most one active head post.',
  })
  isHead: boolean;

  @Field(() => ID, {
    nullable: true,
    description: 'The active post this one reports to; none by default.',
  })
  reportsToId?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Position among the posts of the unit; default: after the last one.',
  })
  position?: number | null;
}

@InputType({
  description: 'Changes to an active post; absent fields are left as they are.',
})
export class UpdatePostInput extends VersionedInput {
  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string;

  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string;

  @Field(() => String, { nullable: true, description: 'New description; null removes it.' })
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the post heads its unit; a unit has at most one active head post.',
  })
  isHead?: boolean | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'New superior post; null removes it. It must be active, and neither this post nor one of its subordinates.',
  })
  reportsToId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'New unit of the post; it must exist and be active.',
  })
  unitId?: string | null;
}

@InputType({ description: 'A post to archive (soft delete).' })
export class ArchivePostInput extends VersionedInput {}

@InputType({ description: 'An archived post to restore.' })
export class RestorePostInput extends VersionedInput {}
