import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionType, PagingArgs } from '../../graphql/connection';
import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';

export const MissionConnection = ConnectionType(Mission, 'Mission', 'mission');
export const ResponsibilityConnection = ConnectionType(
  Responsibility,
  'Responsibility',
  'responsibility',
);

@InputType({ description: 'Filters of `missions`; all given filters must hold.' })
export class MissionFilter {
  @Field(() => ID, { nullable: true, description: 'Only the missions of this unit or post.' })
  ownerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only the missions carried out by this unit.' })
  carriedOutById?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only missions whose title or description match these words.',
  })
  text?: string | null;
}

@ArgsType()
export class MissionsArgs extends PagingArgs {
  @Field(() => MissionFilter, {
    nullable: true,
    description: 'Filters; none returns every mission.',
  })
  filter?: MissionFilter | null;
}

@InputType({ description: 'Filters of `responsibilities`; all given filters must hold.' })
export class ResponsibilityFilter {
  @Field(() => ID, {
    nullable: true,
    description:
      'Only the responsibilities of this unit or post (directly or through its missions).',
  })
  ownerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only the responsibilities of this mission.' })
  missionId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only responsibilities with exactly this reference, e.g. ORSEC.',
  })
  reference?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only responsibilities whose title, reference or description match these words.',
  })
  text?: string | null;
}

@ArgsType()
export class ResponsibilitiesArgs extends PagingArgs {
  @Field(() => ResponsibilityFilter, {
    nullable: true,
    description: 'Filters; none returns every responsibility.',
  })
  filter?: ResponsibilityFilter | null;
}
