import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Context } from '../../graphql/context';
import { inputUuid, optionalInputUuid, Payload, PayloadType, runMutation } from '../node/mutation';
import { Role } from '../../graphql/role';
import { OrgUnit } from './org-unit.entity';
import {
  ArchiveUnitInput,
  CreateUnitInput,
  MoveUnitInput,
  RestoreUnitInput,
  UpdateUnitInput,
} from './org-unit.inputs';

const CreateUnitPayload = PayloadType('CreateUnit', 'unit', OrgUnit);
const UpdateUnitPayload = PayloadType('UpdateUnit', 'unit', OrgUnit);
const MoveUnitPayload = PayloadType('MoveUnit', 'unit', OrgUnit);
const ArchiveUnitPayload = PayloadType('ArchiveUnit', 'unit', OrgUnit);
const RestoreUnitPayload = PayloadType('RestoreUnit', 'unit', OrgUnit);

/** Writes of units, for editors. Each runs in one transaction and is logged. */
@Resolver()
export class OrgUnitMutations {
  @Authorized(Role.EDITOR)
  @Mutation(() => CreateUnitPayload, {
    description: 'Creates a unit under an active parent, or at the top.',
  })
  createUnit(
    @Arg('input', { description: 'The new unit.' }) input: CreateUnitInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<OrgUnit>> {
    return runMutation(ctx, (tx) =>
      ctx.services.units.create(tx, {
        ...input,
        parentId: optionalInputUuid(input.parentId, 'OrgUnit', 'parentId') ?? null,
        position: input.position ?? undefined,
      }),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => UpdateUnitPayload, {
    description: 'Changes the name, slug, acronym, kind or description of a unit.',
  })
  updateUnit(
    @Arg('input', { description: 'The changes.' }) input: UpdateUnitInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<OrgUnit>> {
    const { id, expectedVersion, ...patch } = input;
    return runMutation(ctx, (tx) =>
      ctx.services.units.update(tx, inputUuid(id, 'OrgUnit', 'id'), patch, expectedVersion),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => MoveUnitPayload, {
    description:
      'Moves a unit to another parent and/or position. A unit cannot move under itself or its descendants.',
  })
  moveUnit(
    @Arg('input', { description: 'Where to.' }) input: MoveUnitInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<OrgUnit>> {
    return runMutation(ctx, (tx) =>
      ctx.services.units.move(
        tx,
        inputUuid(input.id, 'OrgUnit', 'id'),
        {
          parentId: optionalInputUuid(input.parentId, 'OrgUnit', 'parentId'),
          position: input.position,
        },
        input.expectedVersion,
      ),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => ArchiveUnitPayload, {
    description:
      'Archives a unit: it leaves lists, charts and search but stays readable by id. Refused while it has active children unless `cascade`.',
  })
  archiveUnit(
    @Arg('input', { description: 'What to archive.' }) input: ArchiveUnitInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<OrgUnit>> {
    return runMutation(ctx, (tx) =>
      ctx.services.units.archive(
        tx,
        inputUuid(input.id, 'OrgUnit', 'id'),
        input.expectedVersion,
        input.cascade,
      ),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => RestoreUnitPayload, {
    description: 'Restores an archived unit under its (active) parent.',
  })
  restoreUnit(
    @Arg('input', { description: 'What to restore.' }) input: RestoreUnitInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<OrgUnit>> {
    return runMutation(ctx, (tx) =>
      ctx.services.units.restore(tx, inputUuid(input.id, 'OrgUnit', 'id'), input.expectedVersion),
    );
  }
}
