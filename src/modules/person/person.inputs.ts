import { Field, ID, InputType } from 'type-graphql';
import { VersionedInput } from '../node/mutation';
import { LocalDateResolver } from 'graphql-scalars';

@InputType({ description: 'A new person, with their private contact details if known.' })
export class CreatePersonInput {
  @Field({ description: 'Stable, unique key: lower-case words joined by hyphens.' })
  slug: string;

  @Field(() => String, {
    nullable: true,
    description: 'Given name (prénom), up to 120 characters.',
  })
  givenName?: string | null;

  @Field({ description: 'Family name (nom), 1 to 120 characters.' })
  familyName: string;

  @Field(() => String, {
    nullable: true,
    description: 'Grade or rank, e.g. "attaché", up to 120 characters.',
  })
  grade?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Professional e-mail, up to 200 characters. Private: AGENT and above read it.',
  })
  email?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Professional phone, up to 40 characters. Private: AGENT and above read it.',
  })
  phone?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Office or postal address at work, up to 200 characters. Private.',
  })
  office?: string | null;
}

@InputType({
  description: 'Changes to a person; absent fields are left as they are, null removes a value.',
})
export class UpdatePersonInput extends VersionedInput {
  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string;

  @Field(() => String, { nullable: true, description: 'New given name; null removes it.' })
  givenName?: string | null;

  @Field(() => String, { nullable: true, description: 'New family name.' })
  familyName?: string;

  @Field(() => String, { nullable: true, description: 'New grade; null removes it.' })
  grade?: string | null;

  @Field(() => String, { nullable: true, description: 'New professional e-mail; null removes it.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'New professional phone; null removes it.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'New office; null removes it.' })
  office?: string | null;
}

@InputType({
  description:
    'A person put in a post from a date: give `personId` of an existing person, or `newPerson`, not both.',
})
export class AppointInput {
  @Field(() => ID, { description: 'The post. It must exist and be active.' })
  postId: string;

  @Field(() => ID, { nullable: true, description: 'An existing person to appoint.' })
  personId?: string | null;

  @Field(() => CreatePersonInput, {
    nullable: true,
    description: 'A person to create and appoint, in the same transaction.',
  })
  newPerson?: CreatePersonInput | null;

  @Field(() => LocalDateResolver, { description: 'First day in the post.' })
  startDate: string;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'Last day in the post, if already known; not before `startDate`.',
  })
  endDate?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Free-text note, e.g. the reference of the appointment decree.',
  })
  note?: string | null;
}

@InputType({ description: 'The end of an open appointment.' })
export class EndAppointmentInput extends VersionedInput {
  @Field(() => LocalDateResolver, {
    description: 'Last day in the post; not before the appointment’s start date.',
  })
  endDate: string;
}
