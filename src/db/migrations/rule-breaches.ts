import type { QueryRunner } from 'typeorm';

/**
 * Fails, naming the records, when the data already breaks a rule that a migration is about to
 * make a constraint (e.g. after concurrent writes that older versions let through); an operator
 * fixes them through the API, then starts again.
 */
export async function refuseRuleBreaches(queryRunner: QueryRunner): Promise<void> {
  const heads: Array<{ slug: string }> = await queryRunner.query(
    `SELECT u.slug FROM org_unit u WHERE (SELECT COUNT(*) FROM post p
       WHERE p."unitId" = u.id AND p."isHead" = true AND p."archivedAt" IS NULL) > 1`,
  );
  const posts: Array<{ slug: string }> = await queryRunner.query(
    `SELECT p.slug FROM post p WHERE (SELECT COUNT(*) FROM appointment a
       WHERE a."postId" = p.id AND a."endDate" IS NULL) > 1`,
  );
  const problems = [
    ...(heads.length
      ? [`units with more than one active head post: ${heads.map((r) => r.slug).join(', ')}`]
      : []),
    ...(posts.length
      ? [`posts with more than one open appointment: ${posts.map((r) => r.slug).join(', ')}`]
      : []),
  ];
  if (problems.length) {
    throw new Error(
      `The directory breaks rules that this version enforces; fix these records (updatePost, endAppointment), then start again: ${problems.join('; ')}.`,
    );
  }
}
