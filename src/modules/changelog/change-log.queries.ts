import type { Context } from '../../graphql/context';
import { Page, pageQuery, PagingArgs } from '../../graphql/connection';
import { fromGlobalId, NodeType, toGlobalId } from '../node/global-id';
import { BadUserInputError } from '../../graphql/errors';
import { grants, Role } from '../../graphql/role';
import { ChangeEntry } from './change-entry.entity';
import { AuditLogFilter, ChangeLogEntry } from './change-log.types';
import { apiValue } from './references';
import { recordTypeNamed } from '../node/record-types';

/** Shapes a log row for the API, leaving out private fields the caller may not read. */
export function toApiEntry(ctx: Context, row: ChangeEntry): ChangeLogEntry {
  const hidden = grants(ctx.principal.role, [Role.AGENT])
    ? []
    : (recordTypeNamed(row.entityType)?.privateFields ?? []);
  return {
    sequence: row.sequence,
    entityType: row.entityType,
    entityId: toGlobalId(row.entityType as NodeType, row.entityId),
    operation: row.operation,
    version: row.version,
    occurredAt: row.occurredAt,
    actor: row.actor,
    changedFields: Object.entries(row.changes)
      .filter(([field]) => !hidden.includes(field))
      .map(([field, { before, after }]) => ({
        field,
        before: apiValue(field, before),
        after: apiValue(field, after),
      })),
  };
}

/** One page of the change log of one record (for a post, with its appointments), newest first. */
export async function historyOf(
  ctx: Context,
  uuid: string,
  paging: PagingArgs,
  options: { withAppointments?: boolean; counted?: boolean } = {},
): Promise<Page<ChangeLogEntry>> {
  const qb = ctx.db
    .getRepository(ChangeEntry)
    .createQueryBuilder('c')
    .where('c.entityId = :uuid', { uuid })
    .orderBy('c.sequence', 'DESC');
  if (options.withAppointments) {
    // Note: a post's history tells who was appointed to it and when the appointment ended.
    qb.orWhere(
      `c.entityType = 'Appointment' AND c.entityId IN (SELECT id FROM appointment WHERE "postId" = :uuid)`,
    );
  }
  const page = await pageQuery(qb, paging, options.counted ?? true);
  return mapPage(page, (row) => toApiEntry(ctx, row));
}

/** One page of the whole log, filtered, newest first. */
export async function auditLog(
  ctx: Context,
  filter: AuditLogFilter,
  paging: PagingArgs,
  counted = true,
): Promise<Page<ChangeLogEntry>> {
  const qb = ctx.db
    .getRepository(ChangeEntry)
    .createQueryBuilder('c')
    .orderBy('c.sequence', 'DESC');
  if (filter.actor != null) qb.andWhere('c.actor = :actor', { actor: filter.actor });
  if (filter.entityType != null) qb.andWhere('c.entityType = :type', { type: filter.entityType });
  if (filter.operation != null)
    qb.andWhere('c.operation = :operation', { operation: filter.operation });
  if (filter.since != null) qb.andWhere('c.occurredAt >= :since', { since: filter.since });
  if (filter.until != null) qb.andWhere('c.occurredAt < :until', { until: filter.until });
  if (filter.entityId != null) {
    const decoded = fromGlobalId(filter.entityId);
    if (!decoded)
      throw new BadUserInputError('filter.entityId is not a valid id.', 'filter.entityId');
    qb.andWhere('c.entityId = :entity', { entity: decoded.uuid });
  }
  return mapPage(await pageQuery(qb, paging, counted), (row) => toApiEntry(ctx, row));
}

function mapPage<A, B>(page: Page<A>, f: (a: A) => B): Page<B> {
  const edges = page.edges.map((e) => ({ cursor: e.cursor, node: f(e.node) }));
  return { ...page, edges, nodes: edges.map((e) => e.node) };
}
