import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { DomainError, ValidationCode } from '../node/domain-error';
import type { WriteContext } from '../node/record-writer';
import { requireActive } from '../node/record-rules';
import {
  optionalText,
  requireFound,
  requirePosition,
  requireSlug,
  requireText,
} from '../node/validate';

/** The owner of a mission or responsibility as seeds give it: exactly one of a unit and a post. */
export interface OwnerInput {
  ownerUnitId?: string | null;
  ownerPostId?: string | null;
}

/** The owner columns of a mission or responsibility, as stored: exactly one is set. */
export interface Owner {
  ownerUnitId: string | null;
  ownerPostId: string | null;
}

/** Checks the given fields of a mission or responsibility; absent ones are left out. */
export function checkFields(input: {
  slug?: string;
  title?: string;
  description?: string | null;
  reference?: string | null;
  position?: number;
}): Partial<Mission & Responsibility> {
  const out: Partial<Mission & Responsibility> = {};
  if (input.slug !== undefined) out.slug = requireSlug(input.slug);
  if (input.title !== undefined) out.title = requireText('title', input.title, 300);
  if (input.description !== undefined)
    out.description = optionalText('description', input.description, 10_000);
  if (input.reference !== undefined) out.reference = optionalText('reference', input.reference, 80);
  if (input.position !== undefined) out.position = requirePosition(input.position);
  return out;
}

/** A new record needs a slug and a title. */
export function required<T extends { slug?: string; title?: string }>(fields: T): T {
  if (!fields.slug || !fields.title)
    throw new DomainError(ValidationCode.REQUIRED, ['slug'], 'slug and title are required.');
  return fields;
}

/** The owner of an existing mission. */
export async function missionOwner(tx: WriteContext, missionId: string): Promise<Owner> {
  const mission = requireFound(
    'missionId',
    await tx.em.getRepository(Mission).findOneBy({ uuid: missionId }),
    'mission',
  );
  return { ownerUnitId: mission.ownerUnitId, ownerPostId: mission.ownerPostId };
}

/** An owner given by an editor: exactly one unit or post, which exists and is active. */
export async function activeOwner(tx: WriteContext, owner: Owner): Promise<Owner> {
  const unit = !!owner.ownerUnitId;
  await requireActive(
    tx,
    unit ? OrgUnit : Post,
    (unit ? owner.ownerUnitId : owner.ownerPostId) ?? '',
    'ownerId',
    unit ? 'unit' : 'post',
    'The owner is archived.',
  );
  return { ownerUnitId: owner.ownerUnitId ?? null, ownerPostId: owner.ownerPostId ?? null };
}

/** An owner as seeds give it: exactly one, which exists (seeds may name archived records). */
export async function seededOwner(tx: WriteContext, input: OwnerInput): Promise<Owner> {
  if (!!input.ownerUnitId === !!input.ownerPostId) {
    throw new DomainError(
      ValidationCode.INVALID_VALUE,
      ['ownerUnitId'],
      'Give exactly one owner: a unit or a post.',
    );
  }
  if (input.ownerUnitId) {
    requireFound(
      'ownerUnitId',
      await tx.em.getRepository(OrgUnit).findOneBy({ uuid: input.ownerUnitId }),
      'unit',
    );
  } else {
    requireFound(
      'ownerPostId',
      await tx.em.getRepository(Post).findOneBy({ uuid: input.ownerPostId! }),
      'post',
    );
  }
  return { ownerUnitId: input.ownerUnitId ?? null, ownerPostId: input.ownerPostId ?? null };
}
