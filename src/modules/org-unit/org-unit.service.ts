import { DomainError, ValidationCode } from '../node/domain-error';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitKind } from './org-unit-kind';
import { ancestorsOf, subtree, TREE_DEPTH_LIMIT } from './org-unit.tree';
import { ChangeOperation } from '../node/change-operation';
import { logMovedSubtree } from '../changelog/moved-subtree';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import { nextPosition, requireActive } from '../node/record-rules';
import type { SearchIndex } from '../node/write-effects';
import { identifiersOf, putIdentifier, SchemeValue } from '../source/external-identifiers';
import { reindexPostsOf } from '../post/post.record';
import { UNIT_SEARCH as SEARCH } from './org-unit.record';
import {
  optionalText,
  requireEnum,
  requireFound,
  requirePosition,
  requireSlug,
  requireText,
} from '../node/validate';

/** The editable fields of a unit; references are uuids. */
export interface OrgUnitFields {
  slug: string;
  name: string;
  acronym?: string | null;
  kind: OrgUnitKind;
  description?: string | null;
  parentId?: string | null;
  position?: number;
}

/** Checks the given fields of a unit; absent fields are left out of the result. */
function checkFields(input: Partial<OrgUnitFields>): Partial<OrgUnit> {
  const out: Partial<OrgUnit> = {};
  if (input.slug !== undefined) out.slug = requireSlug(input.slug);
  if (input.name !== undefined) out.name = requireText('name', input.name, 300);
  if (input.acronym !== undefined) out.acronym = optionalText('acronym', input.acronym, 40);
  if (input.kind !== undefined) out.kind = requireEnum('kind', input.kind, OrgUnitKind);
  if (input.description !== undefined)
    out.description = optionalText('description', input.description, 10_000);
  if (input.position !== undefined) out.position = requirePosition(input.position);
  return out;
}

/** What an editor is told when acting on an archived unit. */
const RESTORE_FIRST = 'The unit is archived: restore it first.';

/**
 * Writes units: validation, the tree rules (the parent exists, is active, and is not the unit
 * itself or below it), archiving and restoring. Every write goes through the RecordWriter.
 */
export class OrgUnitService {
  constructor(
    private readonly writer: RecordWriter,
    private readonly search: SearchIndex,
  ) {}

  /** Seeding: creates the unit with this slug, or updates it where it differs (see `update`). */
  async upsert(
    tx: WriteContext,
    input: OrgUnitFields & { uuid?: string },
  ): Promise<{ record: OrgUnit; outcome: WriteOutcome }> {
    const data = {
      ...checkFields({ ...input, position: input.position ?? 0 }),
      parentId: input.parentId ?? null,
    };
    const existing = await tx.em.getRepository(OrgUnit).findOneBy({ slug: data.slug! });
    await this.checkParent(tx, existing?.uuid ?? null, data.parentId);
    const result = await this.writer.upsert(
      tx,
      OrgUnit,
      { uuid: input.uuid, slug: data.slug },
      data,
      SEARCH,
    );
    if (existing && existing.name !== result.record.name)
      await reindexPostsOf(tx.em, this.search, result.record);
    return result;
  }

  /** Creates a unit, at the end of its siblings unless a position is given. */
  async create(tx: WriteContext, input: OrgUnitFields): Promise<OrgUnit> {
    const fields = checkFields(input);
    if (!fields.slug || !fields.name || !fields.kind) {
      throw new DomainError(ValidationCode.REQUIRED, ['slug'], 'slug, name and kind are required.');
    }
    const parentId = input.parentId ?? null;
    await this.checkParent(tx, null, parentId);
    const position = fields.position ?? (await nextPosition(tx, OrgUnit, { parentId }));
    return this.writer.create(
      tx,
      OrgUnit,
      { ...fields, parentId, position, archivedAt: null },
      SEARCH,
    );
  }

  /**
   * Changes the descriptive fields of a unit (not its place in the tree: see `move`). A new name
   * also re-indexes the unit's posts, whose search documents hold it.
   */
  async update(
    tx: WriteContext,
    uuid: string,
    patch: Partial<Omit<OrgUnitFields, 'parentId' | 'position'>>,
    expectedVersion: number,
  ) {
    const fields = checkFields(patch);
    const before =
      fields.name !== undefined ? await tx.em.getRepository(OrgUnit).findOneBy({ uuid }) : null;
    const { record } = await this.writer.update(tx, OrgUnit, uuid, fields, SEARCH, {
      expectedVersion,
    });
    if (before && before.name !== record.name) await reindexPostsOf(tx.em, this.search, record);
    return record;
  }

  /** Moves a unit under another parent (null: to the top) and/or to another position. */
  async move(
    tx: WriteContext,
    uuid: string,
    to: { parentId?: string | null; position?: number | null },
    expectedVersion: number,
  ) {
    const unit = await requireActive(tx, OrgUnit, uuid, 'id', 'unit', RESTORE_FIRST);
    const parentId = to.parentId === undefined ? unit.parentId : to.parentId;
    await this.checkParent(tx, uuid, parentId);
    const formerAncestors = (await ancestorsOf(tx.em, [uuid]))[0].map((u) => u.uuid);
    const position =
      to.position != null
        ? requirePosition(to.position)
        : parentId === unit.parentId
          ? unit.position
          : await nextPosition(tx, OrgUnit, { parentId });
    const { record } = await this.writer.update(tx, OrgUnit, uuid, { parentId, position }, SEARCH, {
      expectedVersion,
      operation: ChangeOperation.MOVED,
    });
    if (parentId !== unit.parentId) await logMovedSubtree(tx.em, uuid, formerAncestors, tx.actor);
    return record;
  }

  /**
   * Archives a unit (soft delete). Refused while it has active children, unless `cascade`,
   * which archives the whole active subtree, deepest first.
   */
  async archive(
    tx: WriteContext,
    uuid: string,
    expectedVersion: number,
    cascade: boolean,
  ): Promise<OrgUnit> {
    await requireActive(tx, OrgUnit, uuid, 'id', 'unit', RESTORE_FIRST);
    const below = (await subtree(tx.em, uuid, TREE_DEPTH_LIMIT, true)).filter(
      (t) => t.depth > 0 && !t.unit.archivedAt,
    );
    if (below.length > 0 && !cascade) {
      throw new DomainError(
        ValidationCode.HAS_ACTIVE_CHILDREN,
        ['cascade'],
        `The unit has ${below.length} active unit(s) below it: archive them first, or pass cascade: true.`,
      );
    }
    const now = new Date();
    for (const { unit } of below.reverse()) {
      await this.writer.update(tx, OrgUnit, unit.uuid, { archivedAt: now }, SEARCH, {
        operation: ChangeOperation.ARCHIVED,
      });
    }
    const { record } = await this.writer.update(tx, OrgUnit, uuid, { archivedAt: now }, SEARCH, {
      expectedVersion,
      operation: ChangeOperation.ARCHIVED,
    });
    return record;
  }

  /** Restores an archived unit; its parent must be active. */
  async restore(tx: WriteContext, uuid: string, expectedVersion: number): Promise<OrgUnit> {
    const unit = requireFound('id', await tx.em.getRepository(OrgUnit).findOneBy({ uuid }), 'unit');
    if (!unit.archivedAt)
      throw new DomainError(ValidationCode.INVALID_VALUE, ['id'], 'The unit is not archived.');
    if (unit.parentId) await requireActive(tx, OrgUnit, unit.parentId, 'parentId', 'unit');
    const { record } = await this.writer.update(tx, OrgUnit, uuid, { archivedAt: null }, SEARCH, {
      expectedVersion,
      operation: ChangeOperation.RESTORED,
    });
    return record;
  }

  /**
   * Gives a unit these identifiers in other systems (the national directory's id, SIRET…), each
   * replacing the value the unit had in that scheme. An identifier that names another unit stays
   * with it (`taken`). When anything changed, the unit gets a new version and the change log an
   * UPDATED entry with `externalIds` before and after, so that the feed carries it.
   */
  async putIdentifiers(
    tx: WriteContext,
    unit: OrgUnit,
    identifiers: SchemeValue[],
  ): Promise<{
    unit: OrgUnit;
    outcomes: Array<SchemeValue & { outcome: WriteOutcome | 'taken' }>;
  }> {
    const before = await identifiersOf(tx.em, unit.uuid);
    const outcomes = [];
    for (const { scheme, value } of identifiers) {
      const outcome = await putIdentifier(tx.em, scheme, value, 'OrgUnit', unit.uuid);
      outcomes.push({ scheme, value, outcome });
    }
    if (!outcomes.some((o) => o.outcome === 'created' || o.outcome === 'updated'))
      return { unit, outcomes };
    const after = await identifiersOf(tx.em, unit.uuid);
    const changed = await this.writer.noteChange(tx, OrgUnit, unit, {
      externalIds: { before, after },
    });
    return { unit: changed, outcomes };
  }

  /** The parent must exist and be active, and must not be the unit itself or one of its descendants. */
  private async checkParent(
    tx: WriteContext,
    self: string | null,
    parentId: string | null,
  ): Promise<void> {
    if (!parentId) return;
    await requireActive(tx, OrgUnit, parentId, 'parentId', 'unit');
    if (!self) return;
    const chain = [parentId, ...(await ancestorsOf(tx.em, [parentId]))[0].map((u) => u.uuid)];
    if (chain.includes(self)) {
      throw new DomainError(
        ValidationCode.CYCLE,
        ['parentId'],
        'A unit cannot be placed under itself or one of its descendants.',
      );
    }
  }
}
