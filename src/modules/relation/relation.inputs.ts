import { Field, ID, InputType } from 'type-graphql';
import { VersionedInput } from '../node/mutation';
import { RelationType } from './relation-type';

@InputType({ description: 'A new typed link from a unit to another unit or to a post.' })
export class CreateRelationInput {
  @Field({ description: 'Stable, unique key: lower-case words joined by hyphens.' })
  slug: string;

  @Field(() => RelationType, { description: 'The type of link.' })
  type: RelationType;

  @Field(() => ID, { description: 'The source unit; it must be active.' })
  fromUnitId: string;

  @Field(() => ID, {
    description: 'The target: an active unit (not the source itself) or post, by global id.',
  })
  toId: string;

  @Field(() => String, {
    nullable: true,
    description: 'The link as the source words it, up to 2000 characters.',
  })
  description?: string | null;
}

@InputType({ description: 'Changes to a relation; absent fields are left as they are.' })
export class UpdateRelationInput extends VersionedInput {
  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string;

  @Field(() => RelationType, { nullable: true, description: 'New type of link.' })
  type?: RelationType;

  @Field(() => ID, { nullable: true, description: 'New source unit; it must be active.' })
  fromUnitId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'New target: an active unit (not the source) or post.',
  })
  toId?: string | null;

  @Field(() => String, { nullable: true, description: 'New description; null removes it.' })
  description?: string | null;
}

@InputType({ description: 'A relation to delete for good.' })
export class DeleteRelationInput extends VersionedInput {}
