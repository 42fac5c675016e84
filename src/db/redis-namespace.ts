import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { param } from './hydrate';

/**
 * The `change_log_meta` row that names the deployment: a number drawn at random once per
 * database, by whichever instance starts first. Every instance on that database reads the same,
 * and an instance on another database (another deployment) another.
 */
export const DEPLOYMENT_ROW = 'deploymentId';

/** This database's deployment number, drawn and kept on first call. */
export async function deploymentId(db: DataSource): Promise<number> {
  const [name, value] = [param(db, 1), param(db, 2)];
  // Note: two instances starting at once both insert; the first wins, and both read it.
  await db.query(
    `INSERT INTO change_log_meta (name, value) VALUES (${name}, ${value}) ON CONFLICT (name) DO NOTHING`,
    [DEPLOYMENT_ROW, randomInt(1, 2 ** 31 - 1)],
  );
  const rows: Array<{ value: number | string }> = await db.query(
    `SELECT value FROM change_log_meta WHERE name = ${name}`,
    [DEPLOYMENT_ROW],
  );
  return Number(rows[0].value);
}

/**
 * What this deployment's Redis keys and channels start with: `REDIS_PREFIX` when set, else
 * `annuaire:<deployment>:`. Two deployments sharing one Redis (staging and production, two
 * prefectures) then share none of its entries: not the rate budgets, not the cached answers
 * (whose check against the change log would otherwise accept another database's answer at the
 * same head), not the heads announced to subscribers.
 * Note: a copy of the database (a restored backup) keeps the number; set REDIS_PREFIX to keep
 * such a copy apart when it shares the Redis of its original.
 */
export async function redisNamespace(
  settings: { redisPrefix: string | null },
  db: DataSource,
): Promise<string> {
  return settings.redisPrefix ?? `annuaire:${(await deploymentId(db)).toString(36)}:`;
}
