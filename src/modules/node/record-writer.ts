import type { EntityManager, EntityTarget } from 'typeorm';
import { v4 as uuidv4 } from 'uuid';
import type { Node } from './node.entity';
import type { SearchDocument, SearchStore } from '../search/search.store';
import { Citation } from '../source/citation.entity';

/** What a write did. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/** The transaction a service writes in, and the sources the written records cite. */
export interface WriteContext {
  em: EntityManager;
  /** Uuids of the sources to cite on every record written. */
  sourceIds?: string[];
}

function same(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/**
 * Shared write path of every service: insert or update one record by slug, bump its version
 * only when a field really changed, refresh its search document and add its citations.
 */
export class RecordWriter {
  constructor(private readonly search: SearchStore) {}

  async upsert<T extends Node & { slug?: string }>(
    ctx: WriteContext,
    target: EntityTarget<T> & { name: string },
    key: { uuid?: string; slug?: string },
    data: Partial<T>,
    searchDoc: ((record: T) => Omit<SearchDocument, 'entityId' | 'entityType'>) | null,
  ): Promise<{ record: T; outcome: WriteOutcome }> {
    const repo = ctx.em.getRepository(target);
    const where = key.slug !== undefined ? { slug: key.slug } : { uuid: key.uuid };
    const existing = await repo.findOneBy(where as never);
    let record: T;
    let outcome: WriteOutcome;
    if (!existing) {
      record = repo.create({ ...data, uuid: key.uuid ?? uuidv4() } as T);
      await repo.insert(record as never);
      outcome = 'created';
    } else {
      const changed = (Object.keys(data) as Array<keyof T>).filter(
        (k) => !same(existing[k], data[k]),
      );
      record = existing;
      if (changed.length === 0) {
        outcome = 'unchanged';
      } else {
        for (const k of changed) record[k] = data[k] as T[keyof T];
        await repo.save(record as never);
        outcome = 'updated';
      }
    }
    if (outcome !== 'unchanged' && searchDoc) {
      await this.search.put(ctx.em, {
        entityType: target.name,
        entityId: record.uuid,
        ...searchDoc(record),
      });
    }
    await this.cite(ctx, target.name, record.uuid);
    return { record, outcome };
  }

  /** Records that `entityId` is drawn from the context's sources (idempotent). */
  private async cite(ctx: WriteContext, entityType: string, entityId: string): Promise<void> {
    for (const sourceId of ctx.sourceIds ?? []) {
      await ctx.em
        .createQueryBuilder()
        .insert()
        .into(Citation)
        .values({ entityId, sourceId, entityType })
        .orIgnore()
        .execute();
    }
  }
}
