import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKey } from './api-key.entity';
import { KEY_ROLES, Role } from '../../graphql/role';
import type { Principal } from '../../graphql/principal';
import { unstorableCharacter, unstorableMessage } from '../../db/storable-text';

const KEY = /^ak_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Why a presented key is refused. */
export type KeyRefusal = 'malformed' | 'unknown' | 'revoked' | 'expired';

/** Creates, lists, revokes and verifies API keys. */
export class ApiKeyService {
  constructor(private readonly db: DataSource) {}

  /** Creates a key and returns it whole, the only time it is ever shown. */
  async create(
    name: string,
    role: Role,
    expiresAt: Date | null = null,
  ): Promise<{ key: string; record: ApiKey }> {
    if (!KEY_ROLES.includes(role as (typeof KEY_ROLES)[number]))
      throw new Error(`A key's role is one of ${KEY_ROLES.join(', ')}.`);
    if (!name.trim() || name.length > 200)
      throw new Error('A key needs a name of 1 to 200 characters.');
    const bad = unstorableCharacter(name);
    if (bad) throw new Error(unstorableMessage("The key's name", bad));
    const prefix = randomBytes(9)
      .toString('base64url')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '0')
      .slice(0, 12);
    const key = `ak_${prefix}_${randomBytes(32).toString('base64url')}`;
    const record = this.db.getRepository(ApiKey).create({
      id: randomUUID(),
      prefix,
      hash: sha256(key),
      name: name.trim(),
      role,
      expiresAt,
      revokedAt: null,
    });
    await this.db.getRepository(ApiKey).insert(record);
    return { key, record: await this.db.getRepository(ApiKey).findOneByOrFail({ id: record.id }) };
  }

  /** Every key, newest first, without secrets. */
  list(): Promise<ApiKey[]> {
    return this.db.getRepository(ApiKey).find({ order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Revokes a key by id or prefix; returns it, or null when none matches. */
  async revoke(idOrPrefix: string): Promise<ApiKey | null> {
    const repo = this.db.getRepository(ApiKey);
    const key =
      (await repo.findOneBy({ prefix: idOrPrefix })) ??
      (/^[0-9a-f-]{36}$/.test(idOrPrefix) ? await repo.findOneBy({ id: idOrPrefix }) : null);
    if (!key) return null;
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await repo.save(key);
    }
    return key;
  }

  /** The principal a key stands for, or why it is refused. */
  async verify(key: string, now = new Date()): Promise<Principal | KeyRefusal> {
    const match = KEY.exec(key);
    if (!match) return 'malformed';
    const record = await this.db.getRepository(ApiKey).findOneBy({ prefix: match[1] });
    if (
      !record ||
      !timingSafeEqual(Buffer.from(record.hash, 'hex'), Buffer.from(sha256(key), 'hex'))
    )
      return 'unknown';
    if (record.revokedAt) return 'revoked';
    if (record.expiresAt && record.expiresAt <= now) return 'expired';
    return {
      kind: 'key',
      id: record.id,
      name: record.name,
      role: record.role,
      actor: `key:${record.id}`,
      rateKey: `key:${record.id}`,
    };
  }
}
