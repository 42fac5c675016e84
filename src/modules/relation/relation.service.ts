import { Relation } from './relation.entity';
import { RelationType } from './relation-type';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { DomainError, ValidationCode } from '../node/domain-error';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import { requireActive } from '../node/record-rules';
import { optionalText, requireEnum, requireFound, requireSlug } from '../node/validate';

/** What a caller gives to create or update a relation; exactly one target. */
export interface RelationInput {
  uuid?: string;
  slug: string;
  type: RelationType;
  fromUnitId: string;
  toUnitId?: string | null;
  toPostId?: string | null;
  description?: string | null;
}

/** What an editor gives to create a relation: one source unit and one target, unit or post. */
export interface NewRelation {
  slug: string;
  type: RelationType;
  fromUnitId: string;
  to: { toUnitId: string | null; toPostId: string | null };
  description?: string | null;
}

/** Changes to a relation; absent fields are left as they are. */
export type RelationPatch = Partial<NewRelation>;

/** Writes relations. */
export class RelationService {
  constructor(private readonly writer: RecordWriter) {}

  /** Creates the relation with this slug, or updates it where it differs. */
  async upsert(
    tx: WriteContext,
    input: RelationInput,
  ): Promise<{ record: Relation; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const units = tx.em.getRepository(OrgUnit);
    requireFound('fromUnitId', await units.findOneBy({ uuid: input.fromUnitId }), 'unit');
    if (!!input.toUnitId === !!input.toPostId) {
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['toUnitId'],
        'Give exactly one target: a unit or a post.',
      );
    }
    if (input.toUnitId) {
      requireFound('toUnitId', await units.findOneBy({ uuid: input.toUnitId }), 'unit');
      if (input.toUnitId === input.fromUnitId) {
        throw new DomainError(
          ValidationCode.CYCLE,
          ['toUnitId'],
          'A relation cannot link a unit to itself.',
        );
      }
    } else {
      requireFound(
        'toPostId',
        await tx.em.getRepository(Post).findOneBy({ uuid: input.toPostId! }),
        'post',
      );
    }
    const data = {
      slug,
      type: requireEnum('type', input.type, RelationType),
      fromUnitId: input.fromUnitId,
      toUnitId: input.toUnitId ?? null,
      toPostId: input.toPostId ?? null,
      description: optionalText('description', input.description, 2000),
    };
    return this.writer.upsert(tx, Relation, { uuid: input.uuid, slug }, data, null);
  }

  /** Creates a relation between active records; a unit cannot be linked to itself. */
  async create(tx: WriteContext, input: NewRelation): Promise<Relation> {
    const fields = checkFields(input);
    if (!fields.slug || !fields.type)
      throw new DomainError(ValidationCode.REQUIRED, ['slug'], 'slug and type are required.');
    await this.checkEnds(tx, input.fromUnitId, input.to, { from: true, to: true });
    return this.writer.create(
      tx,
      Relation,
      { ...fields, fromUnitId: input.fromUnitId, ...input.to },
      null,
    );
  }

  /** Changes a relation; changed ends must be active, and a unit cannot be linked to itself. */
  async update(
    tx: WriteContext,
    uuid: string,
    patch: RelationPatch,
    expectedVersion: number,
  ): Promise<Relation> {
    const existing = requireFound(
      'id',
      await tx.em.getRepository(Relation).findOneBy({ uuid }),
      'relation',
    );
    const changes: Partial<Relation> = checkFields(patch);
    if (patch.fromUnitId !== undefined || patch.to !== undefined) {
      const from = patch.fromUnitId ?? existing.fromUnitId;
      const to = patch.to ?? { toUnitId: existing.toUnitId, toPostId: existing.toPostId };
      await this.checkEnds(tx, from, to, {
        from: patch.fromUnitId !== undefined,
        to: patch.to !== undefined,
      });
      Object.assign(changes, { fromUnitId: from, ...to });
    }
    const { record } = await this.writer.update(tx, Relation, uuid, changes, null, {
      expectedVersion,
    });
    return record;
  }

  /** Deletes a relation for good. */
  delete(tx: WriteContext, uuid: string, expectedVersion: number): Promise<Relation> {
    return this.writer.remove(tx, Relation, uuid, expectedVersion);
  }

  /**
   * The ends being set (`check`) must exist and be active; a unit cannot point to itself.
   */
  private async checkEnds(
    tx: WriteContext,
    fromUnitId: string,
    to: { toUnitId: string | null; toPostId: string | null },
    check: { from: boolean; to: boolean },
  ): Promise<void> {
    if (check.from) await requireActive(tx, OrgUnit, fromUnitId, 'fromUnitId', 'unit');
    if (check.to) {
      const unit = !!to.toUnitId;
      const uuid = (unit ? to.toUnitId : to.toPostId) ?? '';
      await requireActive(tx, unit ? OrgUnit : Post, uuid, 'toId', unit ? 'unit' : 'post');
    }
    if (to.toUnitId === fromUnitId) {
      throw new DomainError(
        ValidationCode.CYCLE,
        ['toId'],
        'A relation cannot link a unit to itself.',
      );
    }
  }
}

/** Checks the given fields of a relation; absent fields are left out of the result. */
function checkFields(input: RelationPatch): Partial<Relation> {
  const out: Partial<Relation> = {};
  if (input.slug !== undefined) out.slug = requireSlug(input.slug);
  if (input.type !== undefined) out.type = requireEnum('type', input.type, RelationType);
  if (input.description !== undefined)
    out.description = optionalText('description', input.description, 2000);
  return out;
}
