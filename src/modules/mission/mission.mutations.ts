import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Context } from '../../graphql/context';
import {
  DeletePayloadType,
  inputUuid,
  optionalInputUuid,
  Payload,
  PayloadType,
  runMutation,
} from '../node/mutation';
import { Role } from '../../graphql/role';
import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';
import {
  CreateMissionInput,
  CreateResponsibilityInput,
  DeleteMissionInput,
  DeleteResponsibilityInput,
  inputOwner,
  UpdateMissionInput,
  UpdateResponsibilityInput,
} from './mission.inputs';

const CreateMissionPayload = PayloadType('CreateMission', 'mission', Mission);
const UpdateMissionPayload = PayloadType('UpdateMission', 'mission', Mission);
const DeleteMissionPayload = DeletePayloadType('DeleteMission', 'mission', Mission);
const CreateResponsibilityPayload = PayloadType(
  'CreateResponsibility',
  'responsibility',
  Responsibility,
);
const UpdateResponsibilityPayload = PayloadType(
  'UpdateResponsibility',
  'responsibility',
  Responsibility,
);
const DeleteResponsibilityPayload = DeletePayloadType(
  'DeleteResponsibility',
  'responsibility',
  Responsibility,
);

/** Writes of missions and responsibilities, for editors. Each runs in one transaction and is logged. */
@Resolver()
export class MissionMutations {
  @Authorized(Role.EDITOR)
  @Mutation(() => CreateMissionPayload, {
    description: 'Creates a mission of an active unit or post.',
  })
  createMission(
    @Arg('input', { description: 'The new mission.' }) input: CreateMissionInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Mission>> {
    return runMutation(ctx, (tx) =>
      ctx.services.missions.create(tx, {
        ...input,
        owner: inputOwner(input.ownerId),
        carriedOutById: optionalInputUuid(input.carriedOutById, 'OrgUnit', 'carriedOutById'),
        position: input.position ?? undefined,
      }),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => UpdateMissionPayload, {
    description:
      'Changes a mission: texts, owner (its responsibilities follow), carrying unit or position.',
  })
  updateMission(
    @Arg('input', { description: 'The changes.' }) input: UpdateMissionInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Mission>> {
    const { id, expectedVersion, ownerId, carriedOutById, position, ...patch } = input;
    return runMutation(ctx, (tx) =>
      ctx.services.missions.update(
        tx,
        inputUuid(id, 'Mission', 'id'),
        {
          ...patch,
          owner: ownerId != null ? inputOwner(ownerId) : undefined,
          carriedOutById: optionalInputUuid(carriedOutById, 'OrgUnit', 'carriedOutById'),
          position: position ?? undefined,
        },
        expectedVersion,
      ),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => DeleteMissionPayload, {
    description:
      'Deletes a mission for good. Refused while it has responsibilities unless `cascade`, which deletes them too.',
  })
  deleteMission(
    @Arg('input', { description: 'What to delete.' }) input: DeleteMissionInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Mission>> {
    return runMutation(ctx, (tx) =>
      ctx.services.missions.delete(
        tx,
        inputUuid(input.id, 'Mission', 'id'),
        input.expectedVersion,
        input.cascade,
      ),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => CreateResponsibilityPayload, {
    description:
      'Creates a responsibility of a mission (taking its owner) or directly of an active unit or post.',
  })
  createResponsibility(
    @Arg('input', { description: 'The new responsibility.' }) input: CreateResponsibilityInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Responsibility>> {
    return runMutation(ctx, (tx) =>
      ctx.services.responsibilities.create(tx, {
        ...input,
        missionId: optionalInputUuid(input.missionId, 'Mission', 'missionId'),
        owner: input.ownerId != null ? inputOwner(input.ownerId) : null,
        position: input.position ?? undefined,
      }),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => UpdateResponsibilityPayload, {
    description: 'Changes a responsibility: texts, mission, owner or position.',
  })
  updateResponsibility(
    @Arg('input', { description: 'The changes.' }) input: UpdateResponsibilityInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Responsibility>> {
    const { id, expectedVersion, missionId, ownerId, position, ...patch } = input;
    return runMutation(ctx, (tx) =>
      ctx.services.responsibilities.update(
        tx,
        inputUuid(id, 'Responsibility', 'id'),
        {
          ...patch,
          missionId: optionalInputUuid(missionId, 'Mission', 'missionId'),
          owner: ownerId != null ? inputOwner(ownerId) : undefined,
          position: position ?? undefined,
        },
        expectedVersion,
      ),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => DeleteResponsibilityPayload, {
    description: 'Deletes a responsibility for good.',
  })
  deleteResponsibility(
    @Arg('input', { description: 'What to delete.' }) input: DeleteResponsibilityInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Responsibility>> {
    return runMutation(ctx, (tx) =>
      ctx.services.responsibilities.delete(
        tx,
        inputUuid(input.id, 'Responsibility', 'id'),
        input.expectedVersion,
      ),
    );
  }
}
