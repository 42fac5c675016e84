import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { DomainError } from '../../graphql/errors';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import {
  optionalText,
  requireFound,
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
    return this.writer.upsert(ctx, Mission, { uuid: input.uuid, slug }, data, (m) => ({
      title: m.title,
      body: m.description ?? '',
    }));
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
    return this.writer.upsert(ctx, Responsibility, { uuid: input.uuid, slug }, data, (r) => ({
      title: [r.title, r.reference].filter(Boolean).join(' '),
      body: r.description ?? '',
    }));
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
