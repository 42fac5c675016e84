import type { EntityManager, EntityTarget } from 'typeorm';
import { v4 as uuidv4 } from 'uuid';
import type { Node } from './node.entity';
import { ChangeOperation } from './change-operation';
import type { FieldChanges, SearchFields, WriteEffects } from './write-effects';
import { DomainError, ValidationCode } from './domain-error';
import { requireStorableText } from './validate';
import { uniqueViolationError } from './unique-rules';

/** What a write did. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/**
 * The transaction a service writes in, who writes, and the sources the records cite. Signatures
 * name it `tx`; `ctx` always names the GraphQL context of a request.
 */
export interface WriteContext {
  em: EntityManager;
  /** Who writes, as recorded in the change log: `key:<id>`, `oidc:<sub>`, `seed:<file>`… */
  actor: string;
  /** Uuids of the sources to cite on every record written. */
  sourceIds?: string[];
}

/** How a record type is indexed for search; null for types that are not searchable. */
export type SearchDoc<T> = ((record: T) => SearchFields) | null;

type Target<T> = EntityTarget<T> & { name: string };

/** Fields that are bookkeeping, not content: never listed as changes. */
const BOOKKEEPING = new Set(['uuid', 'createdAt', 'updatedAt', 'version']);

function same(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

function plain(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

/**
 * The one write path of every service: insert, update (with optimistic concurrency), delete;
 * refuse text the database cannot keep; bump `version` only when a field really changed; refresh the search document; add citations;
 * and append a change-log entry, all in the caller's transaction.
 */
export class RecordWriter {
  constructor(private readonly effects: WriteEffects) {}

  /** Inserts a new record; its slug, if it has one, must be free. */
  async create<T extends Node>(
    tx: WriteContext,
    target: Target<T>,
    data: Partial<T>,
    searchDoc: SearchDoc<T>,
    uuid?: string,
  ): Promise<T> {
    requireStorableText(data);
    const repo = tx.em.getRepository(target);
    const slug = (data as { slug?: string }).slug;
    if (slug !== undefined && (await repo.existsBy({ slug } as never))) throw slugTaken(slug);
    const id = uuid ?? uuidv4();
    try {
      await repo.insert(repo.create({ ...data, uuid: id } as T) as never);
    } catch (e) {
      // Note: two writers can both pass the check above; the unique index decides between them.
      throw uniqueViolationError(e, slug) ?? e;
    }
    const record = (await repo.findOneByOrFail({ uuid: id } as never)) as T;
    return this.after(
      tx,
      target,
      record,
      ChangeOperation.CREATED,
      this.diff({}, record),
      searchDoc,
      null,
    );
  }

  /**
   * Changes the given fields of a record. With `expectedVersion`, a record that has moved on
   * since gets CONFLICT and nothing is written: the UPDATE itself checks the version, so two
   * concurrent writers cannot both win. Returns the record and whether anything changed.
   */
  async update<T extends Node>(
    tx: WriteContext,
    target: Target<T>,
    uuid: string,
    patch: Partial<T>,
    searchDoc: SearchDoc<T>,
    options: { expectedVersion?: number | null; operation?: ChangeOperation } = {},
  ): Promise<{ record: T; changed: boolean }> {
    requireStorableText(patch);
    const repo = tx.em.getRepository(target);
    const existing = await repo.findOneBy({ uuid } as never);
    if (!existing)
      throw new DomainError(ValidationCode.NOT_FOUND, ['id'], `No ${target.name} has this id.`);
    const expected = options.expectedVersion;
    if (expected != null && existing.version !== expected)
      throw conflict(target.name, existing.version, expected);
    const slug = (patch as { slug?: string }).slug;
    if (
      slug !== undefined &&
      slug !== (existing as { slug?: string }).slug &&
      (await repo.existsBy({ slug } as never))
    ) {
      throw slugTaken(slug);
    }
    const changes: Partial<T> = {};
    for (const key of Object.keys(patch) as Array<keyof T>) {
      if (patch[key] !== undefined && !same(existing[key], patch[key])) changes[key] = patch[key];
    }
    if (Object.keys(changes).length === 0) return { record: existing, changed: false };
    const result = await tx.em
      .createQueryBuilder()
      .update(target)
      .set(changes as never)
      .where('id = :uuid AND version = :version', { uuid, version: existing.version })
      .execute()
      .catch((e: unknown) => {
        throw uniqueViolationError(e, slug) ?? e;
      });
    if (result.affected === 0)
      throw conflict(target.name, existing.version + 1, expected ?? existing.version);
    const record = await repo.findOneByOrFail({ uuid } as never);
    const diff = this.diff(existing, record);
    const operation = options.operation ?? ChangeOperation.UPDATED;
    return {
      record: await this.after(tx, target, record, operation, diff, searchDoc, existing),
      changed: true,
    };
  }

  /** Deletes a record for good (with its search document and citations) and logs it. */
  async remove<T extends Node>(
    tx: WriteContext,
    target: Target<T>,
    uuid: string,
    expectedVersion?: number | null,
  ): Promise<T> {
    const repo = tx.em.getRepository(target);
    const existing = await repo.findOneBy({ uuid } as never);
    if (!existing)
      throw new DomainError(ValidationCode.NOT_FOUND, ['id'], `No ${target.name} has this id.`);
    if (expectedVersion != null && existing.version !== expectedVersion) {
      throw conflict(target.name, existing.version, expectedVersion);
    }
    await this.effects.citations.forget(tx.em, uuid);
    await this.effects.search.remove(tx.em, uuid);
    await repo.delete({ uuid } as never);
    await this.log(
      tx,
      target.name,
      existing.uuid,
      ChangeOperation.DELETED,
      existing.version,
      this.diff(existing, {}),
      { before: existing, after: null },
    );
    return existing;
  }

  /**
   * Seeding's path: creates the record with this slug (or uuid), or updates the fields that
   * differ. Idempotent: a second run changes nothing and logs nothing.
   */
  async upsert<T extends Node & { slug?: string }>(
    tx: WriteContext,
    target: Target<T>,
    key: { uuid?: string; slug?: string },
    data: Partial<T>,
    searchDoc: SearchDoc<T>,
  ): Promise<{ record: T; outcome: WriteOutcome }> {
    const where = key.slug !== undefined ? { slug: key.slug } : { uuid: key.uuid };
    const existing = await tx.em.getRepository(target).findOneBy(where as never);
    if (!existing)
      return {
        record: await this.create(tx, target, data, searchDoc, key.uuid),
        outcome: 'created',
      };
    const { record, changed } = await this.update(tx, target, existing.uuid, data, searchDoc);
    if (changed) return { record, outcome: 'updated' };
    const cited = await this.citeUnchanged(tx, target, record);
    return cited ? { record: cited, outcome: 'updated' } : { record, outcome: 'unchanged' };
  }

  /**
   * Cites the context's sources on a record whose fields did not change. A new citation changes
   * the record's provenance, which exports and snapshots carry: its version moves on and the
   * change log says `sources` changed, so that a mirror following the feed learns of it.
   * Returns the record after, or null when it already cited them all.
   */
  private async citeUnchanged<T extends Node>(
    tx: WriteContext,
    target: Target<T>,
    record: T,
  ): Promise<T | null> {
    const before = await this.effects.citations.sourcesOf(tx.em, record.uuid);
    const added = (tx.sourceIds ?? []).filter((id) => !before.includes(id));
    if (added.length === 0) return null;
    await this.cite(tx, target.name, record.uuid);
    const sorted = (ids: string[]) => [...new Set(ids)].sort();
    return this.noteChange(tx, target, record, {
      sources: { before: sorted(before), after: sorted([...before, ...added]) },
    });
  }

  /**
   * Records a change of what belongs to a record outside its own columns (its citations, its
   * identifiers in other systems): the record gets a new version and an UPDATED entry listing
   * `changes`, so that the change feed carries it. Returns the record after.
   */
  async noteChange<T extends Node>(
    tx: WriteContext,
    target: Target<T>,
    record: T,
    changes: FieldChanges,
  ): Promise<T> {
    const result = await tx.em
      .createQueryBuilder()
      .update(target)
      .set({ version: () => '"version" + 1' } as never)
      .where('id = :uuid AND version = :version', { uuid: record.uuid, version: record.version })
      .execute();
    if (result.affected === 0) throw conflict(target.name, record.version + 1, record.version);
    const after = await tx.em.getRepository(target).findOneByOrFail({ uuid: record.uuid } as never);
    await this.log(tx, target.name, record.uuid, ChangeOperation.UPDATED, after.version, changes, {
      before: record,
      after,
    });
    return after;
  }

  private async after<T extends Node>(
    tx: WriteContext,
    target: Target<T>,
    record: T,
    operation: ChangeOperation,
    changes: FieldChanges,
    searchDoc: SearchDoc<T>,
    before: T | null,
  ): Promise<T> {
    if (searchDoc && (record as { archivedAt?: Date | null }).archivedAt) {
      await this.effects.search.remove(tx.em, record.uuid);
    } else if (searchDoc) {
      await this.effects.search.put(tx.em, {
        entityType: target.name,
        entityId: record.uuid,
        ...searchDoc(record),
      });
    }
    await this.cite(tx, target.name, record.uuid);
    await this.log(tx, target.name, record.uuid, operation, record.version, changes, {
      before,
      after: record,
    });
    return record;
  }

  /** The content fields whose values differ between two states of a record. */
  private diff(before: object, after: object): FieldChanges {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    const changes: FieldChanges = {};
    for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (BOOKKEEPING.has(field) || field.endsWith('Ref')) continue;
      if (!same(plain(b[field]), plain(a[field])))
        changes[field] = { before: plain(b[field]), after: plain(a[field]) };
    }
    return changes;
  }

  private log(
    tx: WriteContext,
    entityType: string,
    entityId: string,
    operation: ChangeOperation,
    version: number,
    changes: FieldChanges,
    states: { before: object | null; after: object | null },
  ): Promise<void> {
    return this.effects.logChange(
      tx.em,
      { entityType, entityId, operation, version, changes, actor: tx.actor },
      states,
    );
  }

  /** Records that `entityId` is drawn from the context's sources (idempotent). */
  private cite(tx: WriteContext, entityType: string, entityId: string): Promise<void> {
    return this.effects.citations.cite(tx.em, entityType, entityId, tx.sourceIds ?? []);
  }
}

function slugTaken(slug: string): DomainError {
  return new DomainError(
    ValidationCode.SLUG_TAKEN,
    ['slug'],
    `The slug "${slug}" is already taken.`,
  );
}

function conflict(type: string, actual: number, expected: number): DomainError {
  return new DomainError(
    ValidationCode.CONFLICT,
    ['expectedVersion'],
    `The ${type} is at version ${actual}, not ${expected}: reload it and apply the change again.`,
  );
}
