import { ArgsType, Field, InputType } from 'type-graphql';
import { ConnectionType, PagingArgs } from '../../graphql/connection';
import { Person } from './person.entity';

export const PersonConnection = ConnectionType(Person, 'Person', 'person');

@InputType({ description: 'Filters of `people`; all given filters must hold.' })
export class PersonFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Only people whose name or grade match these words.',
  })
  text?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only people of exactly this grade, e.g. "sous-préfet".',
  })
  grade?: string | null;
}

@ArgsType()
export class PeopleArgs extends PagingArgs {
  @Field(() => PersonFilter, { nullable: true, description: 'Filters; none returns everyone.' })
  filter?: PersonFilter | null;
}
