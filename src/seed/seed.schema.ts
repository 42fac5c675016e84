import { z } from 'zod';
import { OrgUnitKind } from '../modules/org-unit/org-unit-kind';
import { RelationType } from '../modules/relation/relation-type';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug: lower-case words joined by hyphens');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const day = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'));

const owner = {
  ownerUnit: slug.optional(),
  ownerPost: slug.optional(),
};
const oneOwner = (v: { ownerUnit?: string; ownerPost?: string }) => !!v.ownerUnit !== !!v.ownerPost;
const ownerMessage = { message: 'give exactly one of ownerUnit and ownerPost' };

const responsibility = z.strictObject({
  slug,
  title: text(300),
  description: text(10_000).optional(),
  reference: text(80).optional(),
});

/** The shape of one seed file: one organization, its sources and every record drawn from them. */
export const seedFileSchema = z.strictObject({
  organization: text(300),
  sources: z
    .array(
      z.strictObject({
        slug,
        title: text(300),
        publisher: text(300),
        url: z.url().nullable().optional(),
        sourceDate: day.optional(),
        notes: text(10_000).optional(),
      }),
    )
    .min(1, 'a seed file cites at least one source'),
  units: z.array(
    z.strictObject({
      slug,
      kind: z.enum(OrgUnitKind),
      name: text(300),
      acronym: text(40).optional(),
      description: text(10_000).optional(),
      parent: slug.optional(),
    }),
  ),
  posts: z
    .array(
      z.strictObject({
        slug,
        title: text(300),
        unit: slug,
        head: z.boolean().optional(),
        reportsTo: slug.optional(),
        description: text(10_000).optional(),
      }),
    )
    .default([]),
  people: z
    .array(
      z.strictObject({
        slug,
        givenName: text(120).optional(),
        familyName: text(120),
        grade: text(120).optional(),
      }),
    )
    .default([]),
  appointments: z
    .array(
      z.strictObject({
        post: slug,
        person: slug.nullable(),
        startDate: day.optional(),
        endDate: day.optional(),
        note: text(2000).optional(),
      }),
    )
    .default([]),
  missions: z
    .array(
      z
        .strictObject({
          slug,
          title: text(300),
          description: text(10_000).optional(),
          ...owner,
          carriedOutBy: slug.optional(),
          responsibilities: z.array(responsibility).default([]),
        })
        .refine(oneOwner, ownerMessage),
    )
    .default([]),
  responsibilities: z
    .array(responsibility.extend(owner).refine(oneOwner, ownerMessage))
    .default([]),
  relations: z
    .array(
      z
        .strictObject({
          slug,
          type: z.enum(RelationType),
          from: slug,
          toUnit: slug.optional(),
          toPost: slug.optional(),
          description: text(2000).optional(),
        })
        .refine((v) => !!v.toUnit !== !!v.toPost, {
          message: 'give exactly one of toUnit and toPost',
        }),
    )
    .default([]),
});

export type SeedFile = z.infer<typeof seedFileSchema>;
