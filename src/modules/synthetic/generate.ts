import type { UnitDraft } from './synthetic.types';
import { seedUuid } from '../node/seed-uuid';
import { OrgUnitKind } from '../org-unit/org-unit-kind';
import { Prng } from './prng';
import { DEPARTEMENTS, Departement } from './departements';
import { COASTAL, prefectureShape, SUB_PREFECTURE_SHAPE, UnitShape } from './prefecture-shape';
import { STAFF_TITLES, TOWN_RIVERS, TOWN_SAINTS } from './catalog';
import { headTitle } from './naming';
import { slugify } from '../node/slug';
import { Staffing } from './staffing';
import { addMissions } from './missions';
import type { PostRow, SyntheticDirectory, UnitRow } from './synthetic.types';

/** How big a directory to generate, and from which seed. */
export interface SyntheticOptions {
  /** 1 is the national directory (101 prefectures); 10 is ten times as many prefectures. */
  scale: number;
  seed: number;
}

/** The seed used when none is given, so that every `national` directory is the same. */
export const DEFAULT_SEED = 20_250_101;

/** Slug of the source every synthetic record cites. */
export const SYNTHETIC_SOURCE_SLUG = 'annuaire-synthetique';

/** Share of the units of a kind whose head has a deputy; 0.45 for the other kinds. */
const DEPUTY: Partial<Record<OrgUnitKind, number>> = {
  PREFECTURE: 0,
  CABINET: 1,
  DIRECTORATE: 0.9,
  SERVICE: 0.6,
  SUBPREFECTURE: 0.6,
};

/** The units of one prefecture and a way to name them uniquely. */
class PrefectureBuilder {
  private readonly slugs = new Map<string, number>();

  constructor(
    readonly out: SyntheticDirectory,
    readonly rng: Prng,
    readonly dept: Departement,
    readonly suffix: string,
  ) {}

  uniqueSlug(base: string): string {
    const n = (this.slugs.get(base) ?? 0) + 1;
    this.slugs.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  }

  /** Adds a unit with its head post and staff posts; returns it. */
  addUnit(
    shape: Omit<UnitShape, 'children'>,
    parent: UnitDraft | null,
    position: number,
  ): UnitDraft {
    const code = this.dept.code.toLowerCase() + this.suffix;
    const slug = this.uniqueSlug(`${slugify(shape.name).slice(0, 90)}-${code}`);
    const row: UnitRow = {
      uuid: seedUuid('OrgUnit', slug),
      slug,
      name: shape.name,
      acronym: shape.acronym ?? null,
      kind: shape.kind,
      description: shape.description ?? null,
      parentId: parent?.row.uuid ?? null,
      position,
    };
    this.out.units.push(row);
    const title = headTitle(row, this.dept);
    const head = this.addPost(row, title, true, parent?.head ?? null, 0);
    const unit: UnitDraft = { row, domain: shape.domain, head, dept: this.dept };
    let next = 1;
    if (this.rng.chance(DEPUTY[shape.kind] ?? 0.45)) {
      const lower = title.charAt(0).toLowerCase() + title.slice(1);
      this.addPost(row, `Adjoint au ${lower}`, false, head, next++);
    }
    const staff = this.rng.int(0, 2);
    for (let i = 0; i < staff; i++)
      this.addPost(row, this.rng.pick(STAFF_TITLES), false, head, next++);
    return unit;
  }

  private addPost(
    unit: UnitRow,
    title: string,
    isHead: boolean,
    reportsTo: PostRow | null,
    position: number,
  ): PostRow {
    const slug = `${unit.slug}-p${position}`;
    const post: PostRow = {
      uuid: seedUuid('Post', slug),
      slug,
      title,
      description: null,
      unitId: unit.uuid,
      isHead,
      reportsToId: reportsTo?.uuid ?? null,
      position,
    };
    this.out.posts.push(post);
    return post;
  }

  /** Adds the units of `shapes` under `parent`, depth first, skipping absent optional ones. */
  addTree(shapes: UnitShape[], parent: UnitDraft, drafts: UnitDraft[]): void {
    let position = 0;
    for (const shape of shapes) {
      if (shape.p !== undefined && !this.rng.chance(shape.p)) continue;
      const count = shape.repeat ? this.rng.int(...shape.repeat) : 1;
      for (let i = 1; i <= count; i++) {
        const name = shape.repeat ? `${shape.name} n° ${i}` : shape.name;
        const unit = this.addUnit({ ...shape, name }, parent, position++);
        drafts.push(unit);
        if (shape.children) this.addTree(shape.children, unit, drafts);
      }
    }
  }
}

/**
 * Generates a synthetic national directory: for each département, a prefecture shaped like a
 * real one, with posts, people and their appointments, missions and responsibilities. The same
 * options always give the same records with the same (v5) uuids.
 */
export function generateDirectory(options: SyntheticOptions): SyntheticDirectory {
  const root = new Prng(options.seed);
  const count = Math.max(1, Math.round(DEPARTEMENTS.length * options.scale));
  const out: SyntheticDirectory = {
    source: syntheticSource(options),
    units: [],
    posts: [],
    people: [],
    appointments: [],
    missions: [],
    responsibilities: [],
  };
  const staffing = new Staffing(out, root.fork(0x5eed));
  for (let i = 0; i < count; i++) {
    const dept = DEPARTEMENTS[i % DEPARTEMENTS.length];
    const copy = Math.floor(i / DEPARTEMENTS.length);
    const rng = root.fork(i + 1);
    const builder = new PrefectureBuilder(out, rng, dept, copy ? `-c${copy + 1}` : '');
    const firstPost = out.posts.length;
    const top = builder.addUnit(
      {
        name: `Préfecture ${dept.ofName}${copy ? ` (copie ${copy + 1})` : ''}`,
        kind: OrgUnitKind.PREFECTURE,
        domain: 'coordination',
        description: `Préfecture ${dept.ofName}, siège à ${dept.seat}. Structure fictive générée pour les essais de charge.`,
      },
      null,
      i,
    );
    const drafts = [top];
    builder.addTree(prefectureShape(COASTAL.has(dept.code)), top, drafts);
    const subPrefectures = dept.code === '75' ? 0 : rng.int(2, 4);
    const towns = new Set<string>();
    while (towns.size < subPrefectures)
      towns.add(`${rng.pick(TOWN_SAINTS)}-${rng.pick(TOWN_RIVERS)}`);
    [...towns].forEach((town, j) => {
      const sub = builder.addUnit(
        {
          name: `Sous-préfecture de ${town}`,
          kind: OrgUnitKind.SUBPREFECTURE,
          domain: 'collectivites',
        },
        top,
        100 + j,
      );
      drafts.push(sub);
      builder.addTree(SUB_PREFECTURE_SHAPE, sub, drafts);
    });
    staffing.staff(out.posts.slice(firstPost), rng.fork(2), drafts);
    addMissions(out, drafts, rng.fork(3));
  }
  return out;
}

function syntheticSource(options: SyntheticOptions) {
  const slug = SYNTHETIC_SOURCE_SLUG;
  return {
    uuid: seedUuid('Source', slug),
    slug,
    title: 'Annuaire national synthétique (données fictives)',
    publisher: 'annuaire-graphql, générateur de données synthétiques',
    url: null,
    sourceDate: null,
    notes: `Données entièrement fictives, générées par « npm run seed:synthetic » (échelle ${options.scale}, graine ${options.seed}) pour les essais de charge. Les noms et numéros des départements et de leurs chefs-lieux sont réels ; les structures sont plausibles mais inventées ; les personnes sont fictives (grade marqué « (fictif) »).`,
  };
}
