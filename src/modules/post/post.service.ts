import { Post } from './post.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import { optionalText, requireFound, requireSlug, requireText } from '../node/validate';
import { DomainError } from '../../graphql/errors';
import { ValidationCode } from '../node/validate';

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

/** Writes posts. */
export class PostService {
  constructor(private readonly writer: RecordWriter) {}

  /** Creates the post with this slug, or updates it where it differs. */
  async upsert(
    ctx: WriteContext,
    input: PostInput,
  ): Promise<{ record: Post; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const unit = requireFound(
      'unitId',
      await ctx.em.getRepository(OrgUnit).findOneBy({ uuid: input.unitId }),
      'unit',
    );
    if (input.reportsToId) {
      const boss = await ctx.em.getRepository(Post).findOneBy({ uuid: input.reportsToId });
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
    return this.writer.upsert(ctx, Post, { uuid: input.uuid, slug }, data, (p) => ({
      title: p.title,
      body: [p.description, unit.name].filter(Boolean).join(' '),
    }));
  }
}
