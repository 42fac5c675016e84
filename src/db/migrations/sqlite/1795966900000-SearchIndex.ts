import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text index for SQLite: a document table the services write, and an external-content FTS5
 * table kept in step by triggers. Texts arrive as accent-free French stems (see search/text.ts).
 */
export class SearchIndex1795966900000 implements MigrationInterface {
  name = 'SearchIndex1795966900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "search_document" ("id" integer PRIMARY KEY, "entityId" varchar NOT NULL UNIQUE, "entityType" varchar(40) NOT NULL, "title" text NOT NULL, "body" text NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "search_fts" USING fts5("title", "body", content='search_document', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "search_document_ai" AFTER INSERT ON "search_document" BEGIN
         INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "search_document_ad" AFTER DELETE ON "search_document" BEGIN
         INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
       END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "search_document_au" AFTER UPDATE ON "search_document" BEGIN
         INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
         INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "search_document_au"`);
    await queryRunner.query(`DROP TRIGGER "search_document_ad"`);
    await queryRunner.query(`DROP TRIGGER "search_document_ai"`);
    await queryRunner.query(`DROP TABLE "search_fts"`);
    await queryRunner.query(`DROP TABLE "search_document"`);
  }
}
