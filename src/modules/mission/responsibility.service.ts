import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';
import { DomainError, ValidationCode } from '../node/domain-error';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import { RESPONSIBILITY_SEARCH } from './mission.record';
import { optionalText, requireFound, requireSlug, requireText } from '../node/validate';
import {
  activeOwner,
  checkFields,
  missionOwner,
  Owner,
  OwnerInput,
  required,
  seededOwner,
} from './owner.rules';
import { nextPosition } from '../node/record-rules';

/** What seeding gives to create or update a responsibility. */
export interface ResponsibilityInput extends OwnerInput {
  uuid?: string;
  slug: string;
  title: string;
  description?: string | null;
  reference?: string | null;
  missionId?: string | null;
  position?: number;
}

/** What an editor gives to create a responsibility: a mission or an owner, not both. */
export interface NewResponsibility {
  slug: string;
  title: string;
  description?: string | null;
  reference?: string | null;
  missionId?: string | null;
  owner?: Owner | null;
  position?: number;
}

/** Changes to a responsibility; `missionId: null` detaches it from its mission. */
export type ResponsibilityPatch = Partial<NewResponsibility>;

/** Writes responsibilities. One that belongs to a mission always has the mission's owner. */
export class ResponsibilityService {
  constructor(private readonly writer: RecordWriter) {}

  /** Seeding: creates the responsibility with this slug, or updates it where it differs. */
  async upsert(
    tx: WriteContext,
    input: ResponsibilityInput,
  ): Promise<{ record: Responsibility; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    let owner: Owner;
    if (input.missionId) {
      const mission = await tx.em.getRepository(Mission).findOneBy({ uuid: input.missionId });
      const m = requireFound('missionId', mission, 'mission');
      owner = { ownerUnitId: m.ownerUnitId, ownerPostId: m.ownerPostId };
    } else {
      owner = await seededOwner(tx, input);
    }
    const data = {
      slug,
      title: requireText('title', input.title, 300),
      description: optionalText('description', input.description, 10_000),
      reference: optionalText('reference', input.reference, 80),
      missionId: input.missionId ?? null,
      ...owner,
      position: input.position ?? 0,
    };
    const key = { uuid: input.uuid, slug };
    return this.writer.upsert(tx, Responsibility, key, data, RESPONSIBILITY_SEARCH);
  }

  /** Creates a responsibility of a mission (taking its owner) or directly of a unit or post. */
  async create(tx: WriteContext, input: NewResponsibility): Promise<Responsibility> {
    const fields = required(checkFields(input));
    if (!!input.missionId === !!input.owner) {
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['ownerId'],
        'Give either missionId (the responsibility takes its owner) or ownerId, not both.',
      );
    }
    const owner = input.missionId
      ? await missionOwner(tx, input.missionId)
      : await activeOwner(tx, input.owner!);
    const missionId = input.missionId ?? null;
    const position =
      fields.position ??
      (await nextPosition(tx, Responsibility, missionId ? { missionId } : owner));
    return this.writer.create(
      tx,
      Responsibility,
      { ...fields, ...owner, missionId, position },
      RESPONSIBILITY_SEARCH,
    );
  }

  /**
   * Changes a responsibility. Moved to a mission, it takes the mission's owner; detached from its
   * mission, it keeps that owner unless a new one is given.
   */
  async update(
    tx: WriteContext,
    uuid: string,
    patch: ResponsibilityPatch,
    expectedVersion: number,
  ): Promise<Responsibility> {
    const existing = requireFound(
      'id',
      await tx.em.getRepository(Responsibility).findOneBy({ uuid }),
      'responsibility',
    );
    const changes: Partial<Responsibility> = checkFields(patch);
    const missionId = patch.missionId === undefined ? existing.missionId : patch.missionId;
    if (patch.owner && missionId) {
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['ownerId'],
        'A responsibility of a mission takes the mission’s owner: detach it (missionId: null) to give another.',
      );
    }
    if (patch.missionId !== undefined) changes.missionId = patch.missionId;
    if (patch.missionId) Object.assign(changes, await missionOwner(tx, patch.missionId));
    if (patch.owner) Object.assign(changes, await activeOwner(tx, patch.owner));
    const { record } = await this.writer.update(
      tx,
      Responsibility,
      uuid,
      changes,
      RESPONSIBILITY_SEARCH,
      { expectedVersion },
    );
    return record;
  }

  /** Deletes a responsibility for good. */
  delete(tx: WriteContext, uuid: string, expectedVersion?: number): Promise<Responsibility> {
    return this.writer.remove(tx, Responsibility, uuid, expectedVersion);
  }

  /** The responsibilities of a mission. */
  ofMission(tx: WriteContext, missionId: string): Promise<Responsibility[]> {
    return tx.em.getRepository(Responsibility).findBy({ missionId });
  }

  /** Gives a mission's new owner to its responsibilities (each change logged). */
  async followMission(tx: WriteContext, missionId: string, owner: Owner): Promise<void> {
    for (const r of await this.ofMission(tx, missionId))
      await this.writer.update(tx, Responsibility, r.uuid, owner, RESPONSIBILITY_SEARCH);
  }
}
