import type { EntityManager, ObjectLiteral } from 'typeorm';
import { fromGlobalId } from '../node/global-id';
import { Citation } from '../source/citation.entity';
import { Source } from '../source/source.entity';
import type { OrgUnit } from '../org-unit/org-unit.entity';
import type { SearchStore } from '../search/search.store';
import { refreshSearchDocument } from '../search/search-docs';
import { reindexPostsOf } from '../post/post.record';
import {
  columnValues,
  MirrorError,
  recordTypeOf,
  storedChanges,
  uuidOfGlobalId,
} from './exchange-values';
import { appendChange } from '../changelog/append';
import { recordName, requireKeepable } from './mirror-text';
import { NOT_COLUMNS } from '../changelog/references';
import { ExternalIdentifier } from '../source/external-identifier.entity';
import type { SchemeValue } from '../source/external-identifiers';
import type { ChangeOperation } from '../node/change-operation';
import type { FeedChange } from './remote';

/** What applying one change did. */
export type ApplyOutcome = 'applied' | 'skipped';

/**
 * Applies one change of the remote's feed to the local copy, in the caller's transaction, as the
 * remote wrote it: same uuid, version and timestamps, search document refreshed. A change whose
 * version the local record already has is skipped, so applying a change twice is harmless.
 */
export async function applyChange(
  em: EntityManager,
  search: SearchStore,
  change: FeedChange,
): Promise<ApplyOutcome> {
  const decoded = fromGlobalId(change.entityId);
  if (!decoded) throw new MirrorError(`Change ${change.sequence} has a malformed entity id.`);
  const { type, uuid } = decoded;
  const spec = recordTypeOf(type);
  const repo = em.getRepository(spec.entity);
  const existing = await repo.findOneBy({ uuid });
  if (change.operation === 'DELETED') {
    if (!existing) return 'skipped';
    await em.delete(Citation, { entityId: uuid });
    await em.delete(ExternalIdentifier, { entityId: uuid });
    await search.remove(em, uuid);
    await repo.delete({ uuid });
    await logLocally(em, change, type, uuid, { before: existing, after: null });
    return 'applied';
  }
  if (existing && existing.version >= change.version) return 'skipped';
  requireKeepable(
    em,
    `Change ${change.sequence} of ${recordName(type, change.entityId, (change.node as { slug?: unknown } | null)?.slug ?? existing?.slug)}`,
    Object.fromEntries(change.changedFields.map((f) => [f.field, f.after])),
  );
  // Note: `sources` and `externalIds` are no columns: see citeSources and identify below.
  const values = columnValues(
    em.connection.getMetadata(spec.entity),
    change.changedFields.filter((f) => !NOT_COLUMNS.has(f.field)).map((f) => [f.field, f.after]),
  );
  // Note: the feed gives the record as it is now; while it is at this change's version, its own
  // timestamps are exact, which `occurredAt` (the commit of the change) may not be to the ms.
  const current = change.node?.version === change.version ? change.node : null;
  const bookkeeping = {
    version: change.version,
    updatedAt: new Date(current?.updatedAt ?? change.occurredAt),
  };
  if (change.operation === 'CREATED') {
    await em
      .createQueryBuilder()
      .insert()
      .into(spec.entity)
      .values({
        ...values,
        ...bookkeeping,
        uuid,
        createdAt: new Date(change.node?.createdAt ?? change.occurredAt),
      })
      .updateEntity(false)
      .execute();
  } else {
    if (!existing) throw outOfStep(change, 'changes a record the mirror does not hold');
    await em
      .createQueryBuilder()
      .update(spec.entity)
      .set({ ...values, ...bookkeeping })
      .where('id = :uuid', { uuid })
      .execute();
  }
  const record = await repo.findOneByOrFail({ uuid });
  await refreshSearchDocument(em, search, type, record);
  if (type === 'OrgUnit' && existing && existing.name !== record.name)
    await reindexPostsOf(em, search, record as OrgUnit);
  await citeSources(em, type, record, change);
  await identify(em, type, uuid, change);
  await logLocally(em, change, type, uuid, { before: existing, after: record });
  return 'applied';
}

/**
 * Appends the change to the mirror's own change log, so that the mirror has a feed of its own
 * (another directory can follow it in turn) and its export ETags move with its data.
 */
function logLocally(
  em: EntityManager,
  change: FeedChange,
  entityType: string,
  entityId: string,
  states: { before: object | null; after: object | null },
): Promise<void> {
  return appendChange(
    em,
    {
      entityType,
      entityId,
      operation: change.operation as ChangeOperation,
      version: change.version,
      changes: storedChanges(change.changedFields),
      actor: 'mirror',
    },
    states,
  );
}

/**
 * Adds the citations the record has now on the remote. The feed does not carry citations, only
 * the current `node`; sources are only ever added to a live record, so this converges. A source
 * the mirror does not hold yet is left out: its citation comes with a later change of the record.
 */
async function citeSources(
  em: EntityManager,
  type: string,
  record: ObjectLiteral,
  change: FeedChange,
): Promise<void> {
  const node = change.node as { sources?: Array<{ id: string }> } | null;
  for (const { id } of node?.sources ?? []) {
    const sourceId = uuidOfGlobalId(id, 'Source');
    if (!(await em.getRepository(Source).existsBy({ uuid: sourceId }))) continue;
    await em
      .createQueryBuilder()
      .insert()
      .into(Citation)
      .values({ entityId: record.uuid, sourceId, entityType: type })
      .orIgnore()
      .updateEntity(false)
      .execute();
  }
}

/** Gives the record the identifiers in other systems that the change lists after it. */
async function identify(
  em: EntityManager,
  type: string,
  uuid: string,
  change: FeedChange,
): Promise<void> {
  const field = change.changedFields.find((f) => f.field === 'externalIds');
  if (!field) return;
  await em.delete(ExternalIdentifier, { entityId: uuid });
  for (const { scheme, value } of (field.after ?? []) as SchemeValue[])
    await em.insert(ExternalIdentifier, { scheme, value, entityType: type, entityId: uuid });
}

function outOfStep(change: FeedChange, what: string): MirrorError {
  return new MirrorError(
    `Change ${change.sequence} (${change.operation}) ${what}: the copy is out of step; take a new snapshot.`,
  );
}
