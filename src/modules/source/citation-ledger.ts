import type { EntityManager } from 'typeorm';
import type { CitationLedger } from '../node/write-effects';
import { Citation } from './citation.entity';

/** Citations as the record writer keeps them: one row per record and source it is drawn from. */
export const citationLedger: CitationLedger = {
  async sourcesOf(em: EntityManager, entityId: string): Promise<string[]> {
    const rows = await em
      .getRepository(Citation)
      .find({ select: { sourceId: true }, where: { entityId } });
    return rows.map((r) => r.sourceId);
  },

  async cite(em: EntityManager, entityType: string, entityId: string, sourceIds: string[]) {
    for (const sourceId of sourceIds) {
      await em
        .createQueryBuilder()
        .insert()
        .into(Citation)
        .values({ entityId, sourceId, entityType })
        .orIgnore()
        .execute();
    }
  },

  async forget(em: EntityManager, entityId: string) {
    await em.delete(Citation, { entityId });
  },
};
