import { DomainError } from '../../graphql/errors';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitKind } from './org-unit-kind';
import { ancestorsOf } from './org-unit.tree';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import {
  optionalText,
  requireEnum,
  requireFound,
  requireSlug,
  requireText,
  ValidationCode,
} from '../node/validate';

/** What a caller gives to create or update a unit; references are uuids. */
export interface OrgUnitInput {
  uuid?: string;
  slug: string;
  name: string;
  acronym?: string | null;
  kind: OrgUnitKind;
  description?: string | null;
  parentId?: string | null;
  position?: number;
}

/** Writes units: validation, the no-cycle rule, search document, citations. */
export class OrgUnitService {
  constructor(private readonly writer: RecordWriter) {}

  /** Creates the unit with this slug, or updates it where it differs. */
  async upsert(
    ctx: WriteContext,
    input: OrgUnitInput,
  ): Promise<{ record: OrgUnit; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const data = {
      slug,
      name: requireText('name', input.name, 300),
      acronym: optionalText('acronym', input.acronym, 40),
      kind: requireEnum('kind', input.kind, OrgUnitKind),
      description: optionalText('description', input.description, 10_000),
      parentId: input.parentId ?? null,
      position: input.position ?? 0,
    };
    const existing = await ctx.em.getRepository(OrgUnit).findOneBy({ slug });
    await this.checkParent(ctx, existing?.uuid ?? input.uuid ?? null, data.parentId);
    return this.writer.upsert(ctx, OrgUnit, { uuid: input.uuid, slug }, data, (u) => ({
      title: [u.name, u.acronym].filter(Boolean).join(' '),
      body: u.description ?? '',
    }));
  }

  /** The parent must exist, and must not be the unit itself or one of its descendants. */
  private async checkParent(
    ctx: WriteContext,
    self: string | null,
    parentId: string | null,
  ): Promise<void> {
    if (!parentId) return;
    requireFound(
      'parentId',
      await ctx.em.getRepository(OrgUnit).findOneBy({ uuid: parentId }),
      'unit',
    );
    if (!self) return;
    const chain = [parentId, ...(await ancestorsOf(ctx.em, [parentId]))[0].map((u) => u.uuid)];
    if (chain.includes(self)) {
      throw new DomainError(
        ValidationCode.CYCLE,
        ['parentId'],
        'A unit cannot be placed under itself or one of its descendants.',
      );
    }
  }
}
