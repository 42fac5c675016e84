import { IsNull } from 'typeorm';
import { Post } from './post.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { ChangeOperation } from '../node/change-operation';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import { nextPosition, requireActive } from '../node/record-rules';
import { postSearch as searchDoc } from './post.record';
import { DomainError, ValidationCode } from '../node/domain-error';
import {
  optionalText,
  requireFound,
  requirePosition,
  requireSlug,
  requireText,
} from '../node/validate';

/** What a caller gives to create or update a post; references are uuids. */
export interface PostInput {
  uuid?: string;
  slug: string;
  title: string;
  description?: string | null;
  unitId: string;
  isHead?: boolean;
  reportsToId?: string | null;
  position?: number;
}

/** The changes an editor may make to a post; absent fields are left as they are. */
export type PostPatch = Partial<Omit<PostInput, 'uuid' | 'position' | 'isHead'>> & {
  isHead?: boolean | null;
};

/** Checks the given descriptive fields of a post; absent fields are left out of the result. */
function checkFields(input: PostPatch & { position?: number }): Partial<Post> {
  const out: Partial<Post> = {};
  if (input.slug !== undefined) out.slug = requireSlug(input.slug);
  if (input.title !== undefined) out.title = requireText('title', input.title, 300);
  if (input.description !== undefined)
    out.description = optionalText('description', input.description, 10_000);
  if (input.isHead != null) out.isHead = input.isHead;
  if (input.position !== undefined) out.position = requirePosition(input.position);
  return out;
}

/**
 * Writes posts: seeding's upsert, and the editors' create, update, archive and restore with their rules
 * (an active unit, one active head per unit, no reporting cycle).
 */
export class PostService {
  constructor(private readonly writer: RecordWriter) {}

  /** Creates the post with this slug, or updates it where it differs. */
  async upsert(
    tx: WriteContext,
    input: PostInput,
  ): Promise<{ record: Post; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const unit = requireFound(
      'unitId',
      await tx.em.getRepository(OrgUnit).findOneBy({ uuid: input.unitId }),
      'unit',
    );
    if (input.reportsToId) {
      const boss = await tx.em.getRepository(Post).findOneBy({ uuid: input.reportsToId });
      requireFound('reportsToId', boss, 'post');
      if (boss?.slug === slug) {
        throw new DomainError(
          ValidationCode.CYCLE,
          ['reportsToId'],
          'A post cannot report to itself.',
        );
      }
    }
    const data = {
      slug,
      title: requireText('title', input.title, 300),
      description: optionalText('description', input.description, 10_000),
      unitId: unit.uuid,
      isHead: input.isHead ?? false,
      reportsToId: input.reportsToId ?? null,
      position: input.position ?? 0,
    };
    return this.writer.upsert(tx, Post, { uuid: input.uuid, slug }, data, searchDoc(unit));
  }

  /** Creates a post in an active unit, after the unit's last post unless a position is given. */
  async create(tx: WriteContext, input: Omit<PostInput, 'uuid'>): Promise<Post> {
    const fields = checkFields(input);
    if (!fields.slug || !fields.title)
      throw new DomainError(ValidationCode.REQUIRED, ['slug'], 'slug and title are required.');
    const unit = await requireActive(tx, OrgUnit, input.unitId, 'unitId', 'unit');
    const isHead = fields.isHead ?? false;
    if (isHead) await this.checkNoOtherHead(tx, unit.uuid, null);
    const reportsToId = input.reportsToId ?? null;
    if (reportsToId) await requireActive(tx, Post, reportsToId, 'reportsToId', 'post');
    const position = fields.position ?? (await nextPosition(tx, Post, { unitId: unit.uuid }));
    return this.writer.create(
      tx,
      Post,
      { ...fields, unitId: unit.uuid, isHead, reportsToId, position, archivedAt: null },
      searchDoc(unit),
    );
  }

  /** Changes an active post; the head and reporting rules hold for the post as it will be. */
  async update(
    tx: WriteContext,
    uuid: string,
    patch: PostPatch,
    expectedVersion: number,
  ): Promise<Post> {
    const post = await requireActive(tx, Post, uuid, 'id', 'post');
    const fields = checkFields(patch);
    const unit = await requireActive(tx, OrgUnit, patch.unitId ?? post.unitId, 'unitId', 'unit');
    const becomesHead = fields.isHead ?? post.isHead;
    if (becomesHead && (!post.isHead || unit.uuid !== post.unitId))
      await this.checkNoOtherHead(tx, unit.uuid, uuid);
    if (patch.reportsToId) await this.checkReportsTo(tx, uuid, patch.reportsToId);
    const changes: Partial<Post> = { ...fields, unitId: unit.uuid };
    if (patch.reportsToId !== undefined) changes.reportsToId = patch.reportsToId;
    const { record } = await this.writer.update(tx, Post, uuid, changes, searchDoc(unit), {
      expectedVersion,
    });
    return record;
  }

  /** Archives a post (soft delete): it leaves its unit's posts, charts and search. */
  async archive(tx: WriteContext, uuid: string, expectedVersion: number): Promise<Post> {
    const post = await requireActive(tx, Post, uuid, 'id', 'post');
    const unit = await tx.em.getRepository(OrgUnit).findOneByOrFail({ uuid: post.unitId });
    const { record } = await this.writer.update(
      tx,
      Post,
      uuid,
      { archivedAt: new Date() },
      searchDoc(unit),
      { expectedVersion, operation: ChangeOperation.ARCHIVED },
    );
    return record;
  }

  /**
   * Restores an archived post into its unit, which must be active, as must the post it reports
   * to; a head post comes back only while its unit has no other active head.
   */
  async restore(tx: WriteContext, uuid: string, expectedVersion: number): Promise<Post> {
    const post = requireFound('id', await tx.em.getRepository(Post).findOneBy({ uuid }), 'post');
    if (!post.archivedAt)
      throw new DomainError(ValidationCode.INVALID_VALUE, ['id'], 'The post is not archived.');
    const unit = await requireActive(tx, OrgUnit, post.unitId, 'unitId', 'unit');
    if (post.reportsToId) await requireActive(tx, Post, post.reportsToId, 'reportsToId', 'post');
    if (post.isHead) await this.checkNoOtherHead(tx, post.unitId, uuid);
    const { record } = await this.writer.update(
      tx,
      Post,
      uuid,
      { archivedAt: null },
      searchDoc(unit),
      { expectedVersion, operation: ChangeOperation.RESTORED },
    );
    return record;
  }

  /** A unit has at most one active head post. */
  private async checkNoOtherHead(tx: WriteContext, unitId: string, self: string | null) {
    const heads = await tx.em
      .getRepository(Post)
      .findBy({ unitId, isHead: true, archivedAt: IsNull() });
    const other = heads.find((p) => p.uuid !== self);
    if (other) {
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['isHead'],
        `The unit is already headed by the post "${other.slug}".`,
      );
    }
  }

  /** The new superior must be active, and neither the post itself nor one of its subordinates. */
  private async checkReportsTo(tx: WriteContext, self: string, bossId: string): Promise<void> {
    await requireActive(tx, Post, bossId, 'reportsToId', 'post');
    const posts = tx.em.getRepository(Post);
    const seen = new Set<string>();
    for (let id: string | null = bossId; id && !seen.has(id);) {
      if (id === self) {
        throw new DomainError(
          ValidationCode.CYCLE,
          ['reportsToId'],
          'A post cannot report to itself or to one of its own subordinates.',
        );
      }
      seen.add(id);
      id = (await posts.findOneBy({ uuid: id }))?.reportsToId ?? null;
    }
  }
}
