import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { DomainError } from '../../graphql/errors';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import { MISSION_SEARCH, RESPONSIBILITY_SEARCH } from '../search/search-docs';
import {
  optionalText,
  requireFound,
  requirePosition,
  requireSlug,
  requireText,
  ValidationCode,
} from '../node/validate';

/** The owner of a mission or responsibility: exactly one of a unit and a post (uuids). */
export interface OwnerInput {
  ownerUnitId?: string | null;
  ownerPostId?: string | null;
}

/** What a caller gives to create or update a mission. */
export interface MissionInput extends OwnerInput {
  uuid?: string;
  slug: string;
  title: string;
  description?: string | null;
  carriedOutById?: string | null;
  position?: number;
}

/** What a caller gives to create or update a responsibility. */
export interface ResponsibilityInput extends OwnerInput {
  uuid?: string;
  slug: string;
  title: string;
  description?: string | null;
  reference?: string | null;
  missionId?: string | null;
  position?: number;
}

/** The owner columns of a mission or responsibility, as stored: exactly one is set. */
export interface Owner {
  ownerUnitId: string | null;
  ownerPostId: string | null;
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

/** Checks the given fields of a mission or responsibility; absent ones are left out. */
function checkFields(input: {
  slug?: string;
  title?: string;
  description?: string | null;
  reference?: string | null;
  position?: number;
}): Partial<Mission & Responsibility> {
  const out: Partial<Mission & Responsibility> = {};
  if (input.slug !== undefined) out.slug = requireSlug(input.slug);
  if (input.title !== undefined) out.title = requireText('title', input.title, 300);
  if (input.description !== undefined)
    out.description = optionalText('description', input.description, 10_000);
  if (input.reference !== undefined) out.reference = optionalText('reference', input.reference, 80);
  if (input.position !== undefined) out.position = requirePosition(input.position);
  return out;
}

/** Writes missions and responsibilities. */
export class MissionService {
  constructor(private readonly writer: RecordWriter) {}

  /** Creates the mission with this slug, or updates it where it differs. */
  async upsert(
    ctx: WriteContext,
    input: MissionInput,
  ): Promise<{ record: Mission; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const owner = await this.owner(ctx, input);
    if (input.carriedOutById) {
      requireFound(
        'carriedOutById',
        await ctx.em.getRepository(OrgUnit).findOneBy({ uuid: input.carriedOutById }),
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
    return this.writer.upsert(ctx, Mission, { uuid: input.uuid, slug }, data, MISSION_SEARCH);
  }

  /**
   * Creates the responsibility with this slug, or updates it where it differs. One that belongs
   * to a mission takes the mission's owner.
   */
  async upsertResponsibility(
    ctx: WriteContext,
    input: ResponsibilityInput,
  ): Promise<{ record: Responsibility; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    let owner: { ownerUnitId: string | null; ownerPostId: string | null };
    if (input.missionId) {
      const mission = await ctx.em.getRepository(Mission).findOneBy({ uuid: input.missionId });
      const m = requireFound('missionId', mission, 'mission');
      owner = { ownerUnitId: m.ownerUnitId, ownerPostId: m.ownerPostId };
    } else {
      owner = await this.owner(ctx, input);
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
    return this.writer.upsert(
      ctx,
      Responsibility,
      { uuid: input.uuid, slug },
      data,
      RESPONSIBILITY_SEARCH,
    );
  }

  /** Creates a mission of an active unit or post, after its last mission by default. */
  async createMission(ctx: WriteContext, input: NewMission): Promise<Mission> {
    const fields = required(checkFields(input));
    const owner = await this.activeOwner(ctx, input.owner);
    const carriedOutById = await this.carrier(ctx, input.carriedOutById ?? null);
    const position = fields.position ?? (await this.nextPosition(ctx, Mission, owner));
    return this.writer.create(
      ctx,
      Mission,
      { ...fields, ...owner, carriedOutById, position },
      MISSION_SEARCH,
    );
  }

  /** Changes a mission. A new owner is passed on to the mission's responsibilities. */
  async updateMission(
    ctx: WriteContext,
    uuid: string,
    patch: MissionPatch,
    expectedVersion: number,
  ): Promise<Mission> {
    const changes: Partial<Mission> = checkFields(patch);
    if (patch.owner) Object.assign(changes, await this.activeOwner(ctx, patch.owner));
    if (patch.carriedOutById !== undefined)
      changes.carriedOutById = await this.carrier(ctx, patch.carriedOutById);
    const { record, changed } = await this.writer.update(
      ctx,
      Mission,
      uuid,
      changes,
      MISSION_SEARCH,
      { expectedVersion },
    );
    if (changed && patch.owner) {
      const owner = { ownerUnitId: record.ownerUnitId, ownerPostId: record.ownerPostId };
      for (const r of await ctx.em.getRepository(Responsibility).findBy({ missionId: uuid }))
        await this.writer.update(ctx, Responsibility, r.uuid, owner, RESPONSIBILITY_SEARCH);
    }
    return record;
  }

  /**
   * Deletes a mission for good. Refused while it has responsibilities, unless `cascade`, which
   * deletes them first (each logged).
   */
  async deleteMission(
    ctx: WriteContext,
    uuid: string,
    expectedVersion: number,
    cascade: boolean,
  ): Promise<Mission> {
    const mission = requireFound(
      'id',
      await ctx.em.getRepository(Mission).findOneBy({ uuid }),
      'mission',
    );
    if (mission.version !== expectedVersion) throw stale('Mission', mission.version);
    const dependents = await ctx.em.getRepository(Responsibility).findBy({ missionId: uuid });
    if (dependents.length > 0 && !cascade) {
      throw new DomainError(
        ValidationCode.HAS_DEPENDENTS,
        ['cascade'],
        `The mission has ${dependents.length} responsibilities: delete them first, or pass cascade: true.`,
      );
    }
    for (const r of dependents) await this.writer.remove(ctx, Responsibility, r.uuid);
    return this.writer.remove(ctx, Mission, uuid, expectedVersion);
  }

  /** Creates a responsibility of a mission (taking its owner) or directly of a unit or post. */
  async createResponsibility(ctx: WriteContext, input: NewResponsibility): Promise<Responsibility> {
    const fields = required(checkFields(input));
    if (!!input.missionId === !!input.owner) {
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['ownerId'],
        'Give either missionId (the responsibility takes its owner) or ownerId, not both.',
      );
    }
    const owner = input.missionId
      ? await this.missionOwner(ctx, input.missionId)
      : await this.activeOwner(ctx, input.owner!);
    const missionId = input.missionId ?? null;
    const position =
      fields.position ??
      (await this.nextPosition(ctx, Responsibility, missionId ? { missionId } : owner));
    return this.writer.create(
      ctx,
      Responsibility,
      { ...fields, ...owner, missionId, position },
      RESPONSIBILITY_SEARCH,
    );
  }

  /**
   * Changes a responsibility. Moved to a mission, it takes the mission's owner; detached from its
   * mission, it keeps that owner unless a new one is given.
   */
  async updateResponsibility(
    ctx: WriteContext,
    uuid: string,
    patch: ResponsibilityPatch,
    expectedVersion: number,
  ): Promise<Responsibility> {
    const existing = requireFound(
      'id',
      await ctx.em.getRepository(Responsibility).findOneBy({ uuid }),
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
    if (patch.missionId) Object.assign(changes, await this.missionOwner(ctx, patch.missionId));
    if (patch.owner) Object.assign(changes, await this.activeOwner(ctx, patch.owner));
    const { record } = await this.writer.update(
      ctx,
      Responsibility,
      uuid,
      changes,
      RESPONSIBILITY_SEARCH,
      { expectedVersion },
    );
    return record;
  }

  /** Deletes a responsibility for good. */
  deleteResponsibility(
    ctx: WriteContext,
    uuid: string,
    expectedVersion: number,
  ): Promise<Responsibility> {
    return this.writer.remove(ctx, Responsibility, uuid, expectedVersion);
  }

  /** The owner of an existing mission. */
  private async missionOwner(ctx: WriteContext, missionId: string): Promise<Owner> {
    const mission = requireFound(
      'missionId',
      await ctx.em.getRepository(Mission).findOneBy({ uuid: missionId }),
      'mission',
    );
    return { ownerUnitId: mission.ownerUnitId, ownerPostId: mission.ownerPostId };
  }

  /** An owner given by an editor: exactly one unit or post, which exists and is active. */
  private async activeOwner(ctx: WriteContext, owner: Owner): Promise<Owner> {
    const record = owner.ownerUnitId
      ? await ctx.em.getRepository(OrgUnit).findOneBy({ uuid: owner.ownerUnitId })
      : await ctx.em.getRepository(Post).findOneBy({ uuid: owner.ownerPostId ?? '' });
    const found = requireFound('ownerId', record, owner.ownerUnitId ? 'unit' : 'post');
    if (found.archivedAt)
      throw new DomainError(ValidationCode.ARCHIVED, ['ownerId'], 'The owner is archived.');
    return { ownerUnitId: owner.ownerUnitId ?? null, ownerPostId: owner.ownerPostId ?? null };
  }

  /** The unit that carries out a mission, which must exist and be active; null for none. */
  private async carrier(ctx: WriteContext, uuid: string | null): Promise<string | null> {
    if (!uuid) return null;
    const unit = requireFound(
      'carriedOutById',
      await ctx.em.getRepository(OrgUnit).findOneBy({ uuid }),
      'unit',
    );
    if (unit.archivedAt)
      throw new DomainError(ValidationCode.ARCHIVED, ['carriedOutById'], 'The unit is archived.');
    return uuid;
  }

  /** After the last of the records that match `where`. */
  private async nextPosition(
    ctx: WriteContext,
    target: typeof Mission | typeof Responsibility,
    where: Partial<Owner & { missionId: string }>,
  ): Promise<number> {
    const qb = ctx.em
      .getRepository(target)
      .createQueryBuilder('r')
      .select('MAX(r.position)', 'max');
    for (const [column, value] of Object.entries(where)) {
      qb.andWhere(value ? `r.${column} = :${column}` : `r.${column} IS NULL`, { [column]: value });
    }
    const row = await qb.getRawOne<{ max: number | null }>();
    return row?.max == null ? 0 : Number(row.max) + 1;
  }

  private async owner(ctx: WriteContext, input: OwnerInput) {
    if (!!input.ownerUnitId === !!input.ownerPostId) {
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['ownerUnitId'],
        'Give exactly one owner: a unit or a post.',
      );
    }
    if (input.ownerUnitId) {
      requireFound(
        'ownerUnitId',
        await ctx.em.getRepository(OrgUnit).findOneBy({ uuid: input.ownerUnitId }),
        'unit',
      );
    } else {
      requireFound(
        'ownerPostId',
        await ctx.em.getRepository(Post).findOneBy({ uuid: input.ownerPostId! }),
        'post',
      );
    }
    return { ownerUnitId: input.ownerUnitId ?? null, ownerPostId: input.ownerPostId ?? null };
  }
}

/** A new record needs a slug and a title. */
function required<T extends { slug?: string; title?: string }>(fields: T): T {
  if (!fields.slug || !fields.title)
    throw new DomainError(ValidationCode.REQUIRED, ['slug'], 'slug and title are required.');
  return fields;
}

/** CONFLICT, as the RecordWriter words it, for a check made before any write. */
function stale(type: string, actual: number): DomainError {
  return new DomainError(
    ValidationCode.CONFLICT,
    ['expectedVersion'],
    `The ${type} is at version ${actual}: reload it and apply the change again.`,
  );
}
