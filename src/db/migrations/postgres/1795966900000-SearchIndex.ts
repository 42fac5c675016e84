import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text index for PostgreSQL: one row per record with a weighted `tsvector` built with
 * `unaccent` and the `french` configuration, under a GIN index.
 */
export class SearchIndex1795966900000 implements MigrationInterface {
  name = 'SearchIndex1795966900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await queryRunner.query(
      `CREATE TABLE "search_document" ("entityId" uuid PRIMARY KEY, "entityType" varchar(40) NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "document" tsvector NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_search_document_document" ON "search_document" USING GIN ("document")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_search_document_type" ON "search_document" ("entityType")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "search_document"`);
  }
}
