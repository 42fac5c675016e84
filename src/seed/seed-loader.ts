import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../modules/node/domain-error';
import { writeTransaction } from '../db/write-transaction';
import type { Services } from '../graphql/context';
import { seedUuid } from '../modules/node/seed-uuid';
import type { WriteContext, WriteOutcome } from '../modules/node/record-writer';
import { OrgUnit } from '../modules/org-unit/org-unit.entity';
import { Post } from '../modules/post/post.entity';
import { Person } from '../modules/person/person.entity';
import { Mission } from '../modules/mission/mission.entity';
import { SeedFile, seedFileSchema } from './seed.schema';

/** A seed file that cannot be loaded: which file, where in it, and why. */
export class SeedError extends Error {
  constructor(
    readonly file: string,
    readonly at: string,
    readonly reason: string,
  ) {
    super(`${file}: ${at || '(root)'}: ${reason}`);
  }
}

/** How many records each load created, updated or left alone. */
export { seedUuid };

export type SeedSummary = Record<WriteOutcome, number>;

/** Reads and validates one seed file; throws SeedError with the path of the first problems. */
export function readSeedFile(file: string): SeedFile {
  const name = path.basename(file);
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  if (doc.errors.length > 0)
    throw new SeedError(name, '', `not valid YAML: ${doc.errors[0].message}`);
  const parsed = seedFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    throw new SeedError(name, at, issue.message);
  }
  return parsed.data;
}

/** The seed files of a folder, in name order. */
export function seedFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Orders items so that each comes after the item it depends on (parent, reportsTo). */
function dependencyOrder<T extends { slug: string }>(
  items: T[],
  dep: (t: T) => string | undefined,
  file: string,
  list: string,
): T[] {
  const bySlug = new Map(items.map((t, i) => [t.slug, { t, i }]));
  const out: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: T, i: number) => {
    if (state.get(t.slug) === 'done') return;
    if (state.get(t.slug) === 'visiting')
      throw new SeedError(file, `${list}[${i}]`, `"${t.slug}" depends on itself through a cycle`);
    state.set(t.slug, 'visiting');
    const d = dep(t);
    const parent = d ? bySlug.get(d) : undefined;
    if (parent) visit(parent.t, parent.i);
    state.set(t.slug, 'done');
    out.push(t);
  };
  items.forEach(visit);
  return out;
}

/**
 * Loads the seed files into the directory through the services, in one transaction: every file
 * is validated first, and any problem rolls everything back. Idempotent: records are keyed by
 * slug, and a second load changes nothing.
 */
export async function loadSeeds(
  db: DataSource,
  services: Services,
  files: string[],
): Promise<SeedSummary> {
  const parsed = files.map((f) => ({ name: path.basename(f), data: readSeedFile(f) }));
  const summary: SeedSummary = { created: 0, updated: 0, unchanged: 0 };
  await writeTransaction(
    db,
    async (em) => {
      for (const { name, data } of parsed) await loadOne(em, services, name, data, summary);
    },
    { timeoutMs: null },
  );
  return summary;
}

/** The key an appointment of a seed file is known by: post, person and start date. */
function appointmentKey(a: SeedFile['appointments'][number]): string {
  return `${a.post}/${a.person ?? '-'}/${a.startDate ?? '-'}`;
}

/** Fails on the second of two records of one list that share a key: one would hide the other. */
function checkUnique(file: string, data: SeedFile): void {
  const lists: Array<[string, Array<{ slug: string }>]> = [
    ['sources', data.sources],
    ['units', data.units],
    ['posts', data.posts],
    ['people', data.people],
    ['missions', data.missions],
    ['relations', data.relations],
  ];
  for (const [list, items] of lists) {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.slug))
        throw new SeedError(file, `${list}[${i}].slug`, `"${item.slug}" is given twice in ${list}`);
      seen.add(item.slug);
    });
  }
  const responsibilities = new Set<string>();
  const all = [
    ...data.missions.flatMap((m, i) =>
      m.responsibilities.map((r, j) => ({
        slug: r.slug,
        at: `missions[${i}].responsibilities[${j}]`,
      })),
    ),
    ...data.responsibilities.map((r, i) => ({ slug: r.slug, at: `responsibilities[${i}]` })),
  ];
  for (const { slug, at } of all) {
    if (responsibilities.has(slug))
      throw new SeedError(file, `${at}.slug`, `"${slug}" is given twice among responsibilities`);
    responsibilities.add(slug);
  }
  const appointments = new Set<string>();
  data.appointments.forEach((a, i) => {
    const key = appointmentKey(a);
    if (appointments.has(key)) {
      throw new SeedError(
        file,
        `appointments[${i}]`,
        `the same person is appointed to "${a.post}" twice from the same start date`,
      );
    }
    appointments.add(key);
  });
}

async function loadOne(
  em: EntityManager,
  services: Services,
  file: string,
  data: SeedFile,
  summary: SeedSummary,
) {
  checkUnique(file, data);
  const count = (r: { outcome: WriteOutcome }) => void (summary[r.outcome] += 1);
  /** Runs one write, turning a business-rule failure into a SeedError at `at`. */
  const step = async <T>(at: string, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (e) {
      if (e instanceof DomainError)
        throw new SeedError(file, `${at}.${e.field.join('.')}`, e.message);
      throw e;
    }
  };
  const refs = new Map<string, string>();
  const resolve = async (
    type: 'OrgUnit' | 'Post' | 'Person' | 'Mission',
    slug: string,
    at: string,
  ): Promise<string> => {
    const known = refs.get(`${type}:${slug}`);
    if (known) return known;
    const target = { OrgUnit, Post, Person, Mission }[type];
    const found = await em.getRepository(target).findOneBy({ slug });
    if (!found)
      throw new SeedError(file, at, `names no ${type} "${slug}" in this file or the directory`);
    return found.uuid;
  };
  const keep = (type: string, slug: string, uuid: string) => refs.set(`${type}:${slug}`, uuid);

  const sourceIds: string[] = [];
  for (const [i, s] of data.sources.entries()) {
    const r = await step(`sources[${i}]`, () =>
      services.sources.upsert(
        { em, actor: `seed:${file}` },
        { uuid: seedUuid('Source', s.slug), ...s },
      ),
    );
    sourceIds.push(r.record.uuid);
    count(r);
  }
  const tx: WriteContext = { em, actor: `seed:${file}`, sourceIds };

  const unitIndex = new Map(data.units.map((u, i) => [u.slug, i]));
  for (const u of dependencyOrder(data.units, (u) => u.parent, file, 'units')) {
    const at = `units[${unitIndex.get(u.slug)}]`;
    const parentId = u.parent ? await resolve('OrgUnit', u.parent, `${at}.parent`) : null;
    const { parent: _parent, ...rest } = u;
    void _parent;
    const r = await step(at, () =>
      services.units.upsert(tx, {
        uuid: seedUuid('OrgUnit', u.slug),
        ...rest,
        parentId,
        position: unitIndex.get(u.slug),
      }),
    );
    keep('OrgUnit', u.slug, r.record.uuid);
    count(r);
  }

  const postIndex = new Map(data.posts.map((p, i) => [p.slug, i]));
  for (const p of dependencyOrder(data.posts, (p) => p.reportsTo, file, 'posts')) {
    const at = `posts[${postIndex.get(p.slug)}]`;
    const unitId = await resolve('OrgUnit', p.unit, `${at}.unit`);
    const reportsToId = p.reportsTo ? await resolve('Post', p.reportsTo, `${at}.reportsTo`) : null;
    const r = await step(at, () =>
      services.posts.upsert(tx, {
        uuid: seedUuid('Post', p.slug),
        slug: p.slug,
        title: p.title,
        description: p.description,
        unitId,
        isHead: p.head ?? false,
        reportsToId,
        position: postIndex.get(p.slug),
      }),
    );
    keep('Post', p.slug, r.record.uuid);
    count(r);
  }

  for (const [i, p] of data.people.entries()) {
    const r = await step(`people[${i}]`, () =>
      services.people.upsert(tx, { uuid: seedUuid('Person', p.slug), ...p }),
    );
    keep('Person', p.slug, r.record.uuid);
    count(r);
  }

  for (const [i, a] of data.appointments.entries()) {
    const at = `appointments[${i}]`;
    const postId = await resolve('Post', a.post, `${at}.post`);
    const personId = a.person ? await resolve('Person', a.person, `${at}.person`) : null;
    const key = appointmentKey(a);
    count(
      await step(at, () =>
        services.people.appoint(tx, {
          uuid: seedUuid('Appointment', key),
          ...a,
          postId,
          personId,
        }),
      ),
    );
  }

  for (const [i, m] of data.missions.entries()) {
    const at = `missions[${i}]`;
    const r = await step(at, async () =>
      services.missions.upsert(tx, {
        uuid: seedUuid('Mission', m.slug),
        slug: m.slug,
        title: m.title,
        description: m.description,
        ownerUnitId: m.ownerUnit ? await resolve('OrgUnit', m.ownerUnit, `${at}.ownerUnit`) : null,
        ownerPostId: m.ownerPost ? await resolve('Post', m.ownerPost, `${at}.ownerPost`) : null,
        carriedOutById: m.carriedOutBy
          ? await resolve('OrgUnit', m.carriedOutBy, `${at}.carriedOutBy`)
          : null,
        position: i,
      }),
    );
    count(r);
    for (const [j, resp] of m.responsibilities.entries()) {
      count(
        await step(`${at}.responsibilities[${j}]`, () =>
          services.responsibilities.upsert(tx, {
            uuid: seedUuid('Responsibility', resp.slug),
            ...resp,
            missionId: r.record.uuid,
            position: j,
          }),
        ),
      );
    }
  }

  for (const [i, resp] of data.responsibilities.entries()) {
    const at = `responsibilities[${i}]`;
    const { ownerUnit, ownerPost, ...rest } = resp;
    count(
      await step(at, async () =>
        services.responsibilities.upsert(tx, {
          uuid: seedUuid('Responsibility', resp.slug),
          ...rest,
          ownerUnitId: ownerUnit ? await resolve('OrgUnit', ownerUnit, `${at}.ownerUnit`) : null,
          ownerPostId: ownerPost ? await resolve('Post', ownerPost, `${at}.ownerPost`) : null,
          position: i,
        }),
      ),
    );
  }

  for (const [i, rel] of data.relations.entries()) {
    const at = `relations[${i}]`;
    count(
      await step(at, async () =>
        services.relations.upsert(tx, {
          uuid: seedUuid('Relation', rel.slug),
          slug: rel.slug,
          type: rel.type,
          description: rel.description,
          fromUnitId: await resolve('OrgUnit', rel.from, `${at}.from`),
          toUnitId: rel.toUnit ? await resolve('OrgUnit', rel.toUnit, `${at}.toUnit`) : null,
          toPostId: rel.toPost ? await resolve('Post', rel.toPost, `${at}.toPost`) : null,
        }),
      ),
    );
  }
}
