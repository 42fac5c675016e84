import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { ConnectionType, PagingArgs } from '../../graphql/connection';
import { Post } from './post.entity';

export const PostConnection = ConnectionType(Post, 'Post', 'post');

/** Whether a post is held at a date, and whether the directory knows by whom. */
export enum HolderStatus {
  HELD = 'HELD',
  HELD_BY_UNKNOWN = 'HELD_BY_UNKNOWN',
  VACANT = 'VACANT',
}

registerEnumType(HolderStatus, {
  name: 'HolderStatus',
  description:
    'Whether a post is held at a date, telling a vacant post from one whose holder the directory does not name.',
  valuesConfig: {
    HELD: { description: 'Held by the person in `holder`.' },
    HELD_BY_UNKNOWN: {
      description: 'Held, but the directory does not name the holder: `holder` is null.',
    },
    VACANT: { description: 'No appointment covers the date: nobody holds the post.' },
  },
});

@InputType({ description: 'Filters of `posts`; all given filters must hold.' })
export class PostFilter {
  @Field(() => ID, { nullable: true, description: 'Only the posts of this unit.' })
  unitId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only heads of units (true) or only other posts (false).',
  })
  isHead?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only posts whose title or description match these words.',
  })
  text?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Include archived posts (default false).' })
  includeArchived?: boolean | null;
}

@ArgsType()
export class PostsArgs extends PagingArgs {
  @Field(() => PostFilter, { nullable: true, description: 'Filters; none returns every post.' })
  filter?: PostFilter | null;
}

@ArgsType()
export class PostLookupArgs {
  @Field(() => ID, { nullable: true, description: 'Global id of the post.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'Slug of the post.' })
  slug?: string | null;
}

@ArgsType()
export class AtDateArgs {
  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'The day to look at (YYYY-MM-DD); default today.',
  })
  at?: string | null;
}
