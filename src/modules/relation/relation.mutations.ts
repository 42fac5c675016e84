import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Context } from '../../graphql/context';
import { DeletePayloadType, inputUuid, Payload, PayloadType, runMutation } from '../node/mutation';
import { Role } from '../../graphql/role';
import { inputUnitOrPost } from '../mission/mission.inputs';
import { Relation } from './relation.entity';
import { CreateRelationInput, DeleteRelationInput, UpdateRelationInput } from './relation.inputs';

const CreateRelationPayload = PayloadType('CreateRelation', 'relation', Relation);
const UpdateRelationPayload = PayloadType('UpdateRelation', 'relation', Relation);
const DeleteRelationPayload = DeletePayloadType('DeleteRelation', 'relation', Relation);

/** The target of a relation input, as the columns store it. */
function inputTarget(toId: string) {
  const { unitId, postId } = inputUnitOrPost(toId, 'toId');
  return { toUnitId: unitId, toPostId: postId };
}

/** Writes of relations, for editors. Each runs in one transaction and is logged. */
@Resolver()
export class RelationMutations {
  @Authorized(Role.EDITOR)
  @Mutation(() => CreateRelationPayload, {
    description: 'Creates a typed link from an active unit to another active unit or post.',
  })
  createRelation(
    @Arg('input', { description: 'The new relation.' }) input: CreateRelationInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Relation>> {
    return runMutation(ctx, (tx) =>
      ctx.services.relations.create(tx, {
        ...input,
        fromUnitId: inputUuid(input.fromUnitId, 'OrgUnit', 'fromUnitId'),
        to: inputTarget(input.toId),
      }),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => UpdateRelationPayload, {
    description: 'Changes a relation: slug, type, ends or description.',
  })
  updateRelation(
    @Arg('input', { description: 'The changes.' }) input: UpdateRelationInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Relation>> {
    const { id, expectedVersion, fromUnitId, toId, ...patch } = input;
    return runMutation(ctx, (tx) =>
      ctx.services.relations.update(
        tx,
        inputUuid(id, 'Relation', 'id'),
        {
          ...patch,
          fromUnitId:
            fromUnitId != null ? inputUuid(fromUnitId, 'OrgUnit', 'fromUnitId') : undefined,
          to: toId != null ? inputTarget(toId) : undefined,
        },
        expectedVersion,
      ),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => DeleteRelationPayload, { description: 'Deletes a relation for good.' })
  deleteRelation(
    @Arg('input', { description: 'What to delete.' }) input: DeleteRelationInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Relation>> {
    return runMutation(ctx, (tx) =>
      ctx.services.relations.delete(
        tx,
        inputUuid(input.id, 'Relation', 'id'),
        input.expectedVersion,
      ),
    );
  }
}
