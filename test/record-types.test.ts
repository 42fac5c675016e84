import { DataSource } from 'typeorm';
import { freshDatabase } from './helpers/gateway';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/app/gateway';
import { RECORD_TYPES } from '../src/app/modules';

/**
 * The record-type descriptors against the entities they describe: what a new record type must
 * declare for the change log, feeds and exports to show its references as global ids.
 */
describe('the record-type descriptors', () => {
  let db: DataSource;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    db = await openDatabase(
      loadConfig({ ...process.env, DATABASE_URL: fresh.url }),
      createLogger('silent'),
    );
  });
  afterAll(async () => {
    await db.destroy();
    await drop();
  });

  it('declare every foreign key of their entity as a reference, with the record type it points to', () => {
    for (const type of RECORD_TYPES) {
      const meta = db.getMetadata(type.entity);
      const foreignKeys = Object.fromEntries(
        meta.manyToOneRelations.map((relation) => [
          relation.joinColumns[0].propertyName,
          RECORD_TYPES.find((t) => t.entity === relation.inverseEntityMetadata.target)?.name,
        ]),
      );
      expect({ [type.name]: type.references ?? {} }).toEqual({ [type.name]: foreignKeys });
    }
  });

  it('name their own table, and each type once', () => {
    for (const type of RECORD_TYPES) expect(db.getMetadata(type.entity).tableName).toBe(type.table);
    expect(new Set(RECORD_TYPES.map((t) => t.name)).size).toBe(RECORD_TYPES.length);
  });
});
