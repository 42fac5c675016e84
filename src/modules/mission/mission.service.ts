import { Mission } from './mission.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { DomainError, ValidationCode } from '../node/domain-error';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import { MISSION_SEARCH } from './mission.record';
import { optionalText, requireFound, requireSlug, requireText } from '../node/validate';
import { activeOwner, checkFields, Owner, OwnerInput, required, seededOwner } from './owner.rules';
import { nextPosition, requireActive } from '../node/record-rules';
import type { ResponsibilityService } from './responsibility.service';

/** What seeding gives to create or update a mission. */
export interface MissionInput extends OwnerInput {
  uuid?: string;
  slug: string;
  title: string;
  description?: string | null;
  carriedOutById?: string | null;
  position?: number;
}

/** What an editor gives to create a mission; the owner is required. */
export interface NewMission {
  slug: string;
  title: string;
  description?: string | null;
  owner: Owner;
  carriedOutById?: string | null;
  position?: number;
}

/** Changes to a mission; absent fields are left as they are. */
export type MissionPatch = Partial<NewMission>;

/** Writes missions; their responsibilities follow their owner and go with them on delete. */
export class MissionService {
  constructor(
    private readonly writer: RecordWriter,
    private readonly responsibilities: ResponsibilityService,
  ) {}

  /** Seeding: creates the mission with this slug, or updates it where it differs. */
  async upsert(
    tx: WriteContext,
    input: MissionInput,
  ): Promise<{ record: Mission; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const owner = await seededOwner(tx, input);
    if (input.carriedOutById) {
      requireFound(
        'carriedOutById',
        await tx.em.getRepository(OrgUnit).findOneBy({ uuid: input.carriedOutById }),
        'unit',
      );
    }
    const data = {
      slug,
      title: requireText('title', input.title, 300),
      description: optionalText('description', input.description, 10_000),
      ...owner,
      carriedOutById: input.carriedOutById ?? null,
      position: input.position ?? 0,
    };
    return this.writer.upsert(tx, Mission, { uuid: input.uuid, slug }, data, MISSION_SEARCH);
  }

  /** Creates a mission of an active unit or post, after its last mission by default. */
  async create(tx: WriteContext, input: NewMission): Promise<Mission> {
    const fields = required(checkFields(input));
    const owner = await activeOwner(tx, input.owner);
    const carriedOutById = await this.carrier(tx, input.carriedOutById ?? null);
    const position = fields.position ?? (await nextPosition(tx, Mission, owner));
    const data = { ...fields, ...owner, carriedOutById, position };
    return this.writer.create(tx, Mission, data, MISSION_SEARCH);
  }

  /** Changes a mission. A new owner is passed on to the mission's responsibilities. */
  async update(
    tx: WriteContext,
    uuid: string,
    patch: MissionPatch,
    expectedVersion: number,
  ): Promise<Mission> {
    const changes: Partial<Mission> = checkFields(patch);
    if (patch.owner) Object.assign(changes, await activeOwner(tx, patch.owner));
    if (patch.carriedOutById !== undefined)
      changes.carriedOutById = await this.carrier(tx, patch.carriedOutById);
    const { record, changed } = await this.writer.update(
      tx,
      Mission,
      uuid,
      changes,
      MISSION_SEARCH,
      {
        expectedVersion,
      },
    );
    if (changed && patch.owner) {
      const owner = { ownerUnitId: record.ownerUnitId, ownerPostId: record.ownerPostId };
      await this.responsibilities.followMission(tx, uuid, owner);
    }
    return record;
  }

  /**
   * Deletes a mission for good. Refused while it has responsibilities, unless `cascade`, which
   * deletes them first (each logged).
   */
  async delete(
    tx: WriteContext,
    uuid: string,
    expectedVersion: number,
    cascade: boolean,
  ): Promise<Mission> {
    const mission = requireFound(
      'id',
      await tx.em.getRepository(Mission).findOneBy({ uuid }),
      'mission',
    );
    if (mission.version !== expectedVersion) throw stale('Mission', mission.version);
    const dependents = await this.responsibilities.ofMission(tx, uuid);
    if (dependents.length > 0 && !cascade) {
      throw new DomainError(
        ValidationCode.HAS_DEPENDENTS,
        ['cascade'],
        `The mission has ${dependents.length} responsibilities: delete them first, or pass cascade: true.`,
      );
    }
    for (const r of dependents) await this.responsibilities.delete(tx, r.uuid);
    return this.writer.remove(tx, Mission, uuid, expectedVersion);
  }

  /** The unit that carries out a mission, which must exist and be active; null for none. */
  private async carrier(tx: WriteContext, uuid: string | null): Promise<string | null> {
    if (!uuid) return null;
    await requireActive(tx, OrgUnit, uuid, 'carriedOutById', 'unit');
    return uuid;
  }
}

/** CONFLICT, as the RecordWriter words it, for a check made before any write. */
function stale(type: string, actual: number): DomainError {
  return new DomainError(
    ValidationCode.CONFLICT,
    ['expectedVersion'],
    `The ${type} is at version ${actual}: reload it and apply the change again.`,
  );
}
