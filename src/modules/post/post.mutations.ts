import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Context } from '../../graphql/context';
import { inputUuid, optionalInputUuid, Payload, PayloadType, runMutation } from '../node/mutation';
import { Role } from '../../graphql/role';
import { Post } from './post.entity';
import {
  ArchivePostInput,
  CreatePostInput,
  RestorePostInput,
  UpdatePostInput,
} from './post.inputs';

const CreatePostPayload = PayloadType('CreatePost', 'post', Post);
const UpdatePostPayload = PayloadType('UpdatePost', 'post', Post);
const ArchivePostPayload = PayloadType('ArchivePost', 'post', Post);
const RestorePostPayload = PayloadType('RestorePost', 'post', Post);

/** Writes of posts, for editors. Each runs in one transaction and is logged. */
@Resolver()
export class PostMutations {
  @Authorized(Role.EDITOR)
  @Mutation(() => CreatePostPayload, {
    description: 'Creates a post in an active unit. A unit has at most one active head post.',
  })
  createPost(
    @Arg('input', { description: 'The new post.' }) input: CreatePostInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Post>> {
    return runMutation(ctx, (tx) =>
      ctx.services.posts.create(tx, {
        ...input,
        unitId: inputUuid(input.unitId, 'OrgUnit', 'unitId'),
        reportsToId: optionalInputUuid(input.reportsToId, 'Post', 'reportsToId') ?? null,
        position: input.position ?? undefined,
      }),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => UpdatePostPayload, {
    description:
      'Changes a post: slug, title, description, head flag, superior or unit. A post cannot report to itself or to one of its subordinates.',
  })
  updatePost(
    @Arg('input', { description: 'The changes.' }) input: UpdatePostInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Post>> {
    const { id, expectedVersion, unitId, reportsToId, ...patch } = input;
    return runMutation(ctx, (tx) =>
      ctx.services.posts.update(
        tx,
        inputUuid(id, 'Post', 'id'),
        {
          ...patch,
          unitId: optionalInputUuid(unitId, 'OrgUnit', 'unitId') ?? undefined,
          reportsToId: optionalInputUuid(reportsToId, 'Post', 'reportsToId'),
        },
        expectedVersion,
      ),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => ArchivePostPayload, {
    description:
      'Archives a post: it leaves its unit’s posts, charts and search but stays readable by id, with its appointments.',
  })
  archivePost(
    @Arg('input', { description: 'What to archive.' }) input: ArchivePostInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Post>> {
    return runMutation(ctx, (tx) =>
      ctx.services.posts.archive(tx, inputUuid(input.id, 'Post', 'id'), input.expectedVersion),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => RestorePostPayload, {
    description:
      'Restores an archived post into its unit, which must be active, as must the post it reports to; a head post comes back only while its unit has no other head.',
  })
  restorePost(
    @Arg('input', { description: 'What to restore.' }) input: RestorePostInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Post>> {
    return runMutation(ctx, (tx) =>
      ctx.services.posts.restore(tx, inputUuid(input.id, 'Post', 'id'), input.expectedVersion),
    );
  }
}
