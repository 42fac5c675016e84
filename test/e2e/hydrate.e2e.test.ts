import type { ObjectLiteral } from 'typeorm';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { copiedAsIs, hydrate } from '../../src/db/hydrate';

/**
 * The read paths hydrate raw rows with a plan that copies some columns as they come instead of
 * asking the driver (src/db/hydrate.ts). Every entity's rows of a seeded database, on the
 * dialect of the run, must come out as the driver itself would make them.
 */
describe('hydrate', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  it('makes every seeded row exactly as the driver converts it, column by column', async () => {
    let asIs = 0;
    let converted = 0;
    for (const meta of gw.db.entityMetadatas) {
      const rows: ObjectLiteral[] = await gw.db.query(`SELECT * FROM "${meta.tableName}"`);
      const fast = hydrate(gw.db, meta.target, rows);
      rows.forEach((row, i) => {
        const reference = meta.create() as ObjectLiteral;
        for (const column of meta.columns) {
          if (!(column.databaseName in row)) continue;
          reference[column.propertyName] = gw.db.driver.prepareHydratedValue(
            row[column.databaseName],
            column,
          );
          if (row[column.databaseName] === null) continue;
          if (copiedAsIs(meta, column.propertyName)) asIs += 1;
          else converted += 1;
        }
        expect({ table: meta.tableName, row: fast[i] }).toStrictEqual({
          table: meta.tableName,
          row: reference,
        });
      });
    }
    // Both kinds of column were seen with values: units, posts and people have text, dates and
    // booleans.
    expect(asIs).toBeGreaterThan(100);
    expect(converted).toBeGreaterThan(100);
  });
});
