import type { ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { copiedAsIs, hydrate, hydrateArrays } from '../../src/db/hydrate';
import { readRowArrays } from '../../src/db/read-rows';
import { OrgUnit } from '../../src/modules/org-unit/org-unit.entity';

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
    // Note: and so do rows read as arrays.
    for (const meta of gw.db.entityMetadatas) {
      const sql = `SELECT * FROM "${meta.tableName}" ORDER BY 1`;
      const objects: ObjectLiteral[] = await gw.db.query(sql);
      const arrays = await readRowArrays(gw.db, sql, []);
      expect(arrays.rows).toHaveLength(objects.length);
      expect(hydrateArrays(gw.db, meta.target, arrays)).toStrictEqual(
        hydrate(gw.db, meta.target, objects),
      );
    }
    // Both kinds of column were seen with values: units, posts and people have text, dates and
    // booleans.
    expect(asIs).toBeGreaterThan(100);
    expect(converted).toBeGreaterThan(100);
  });

  it('turns datetimes, well formed or not, into the dates the driver makes', () => {
    const meta = gw.db.getMetadata(OrgUnit);
    const column = meta.findColumnWithPropertyName('createdAt')!;
    const texts = [
      '2026-12-07 16:26:48',
      '2026-12-07 16:26:48.123',
      '2024-02-29 23:59:59.999',
      '2026-02-30 10:00:00',
      '2026-13-01 10:00:00',
      '2026-12-07T16:26:48',
      '2026-12-07T16:26:48.5Z',
      '2026-12-07 16:26:48+02:00',
      '2026-12-07 16:26',
      '2026-12-07',
      '2026-12-07 16:26:48.12',
      '2026-12-07 16:26:4x',
      '１２３４-12-07 16:26:48',
      'not a date',
    ];
    compare(texts, column);
  });

  function compare(texts: string[], column: ColumnMetadata): void {
    for (const text of texts) {
      const reference = gw.db.driver.prepareHydratedValue(text, column) as Date;
      for (const [unit] of [
        hydrate(gw.db, OrgUnit, [{ createdAt: text }]),
        hydrateArrays(gw.db, OrgUnit, { columns: ['createdAt'], rows: [[text]] }),
      ]) {
        const value = unit.createdAt as unknown;
        // Note: on PostgreSQL the driver hands text over as it comes; both paths then agree.
        if (reference instanceof Date) {
          expect({ text, time: (value as Date).getTime() }).toEqual({
            text,
            time: reference.getTime(),
          });
        } else expect({ text, value }).toEqual({ text, value: reference });
      }
    }
  }
});
