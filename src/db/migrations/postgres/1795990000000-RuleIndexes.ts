import { MigrationInterface, QueryRunner } from 'typeorm';
import { refuseRuleBreaches } from '../rule-breaches';

/**
 * Two rules of the services as partial unique indexes: one active head post per unit, one
 * open-ended appointment per post. A database that already breaks them is refused, by name.
 */
export class RuleIndexes1795990000000 implements MigrationInterface {
  name = 'RuleIndexes1795990000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await refuseRuleBreaches(queryRunner);
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_post_active_head" ON "post" ("unitId") WHERE "isHead" = true AND "archivedAt" IS NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_appointment_open" ON "appointment" ("postId") WHERE "endDate" IS NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."UQ_appointment_open"');
    await queryRunner.query('DROP INDEX "public"."UQ_post_active_head"');
  }
}
