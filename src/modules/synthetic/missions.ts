import { seedUuid } from '../node/seed-uuid';
import { OrgUnitKind } from '../org-unit/org-unit-kind';
import type { Prng } from './prng';
import { domainOf, Domain } from './catalog';
import type { UnitDraft } from './synthetic.types';
import type { MissionRow, ResponsibilityRow, SyntheticDirectory } from './synthetic.types';

/** Kinds of unit whose head post has missions of its own, as the directeur de cabinet does. */
const LEADING = new Set<string>([
  OrgUnitKind.PREFECTURE,
  OrgUnitKind.CABINET,
  OrgUnitKind.DIRECTORATE,
]);

/** `count` items of a list from a random place, without repeats while the list lasts. */
function some<T>(items: readonly T[], count: number, rng: Prng): T[] {
  const from = rng.int(0, items.length - 1);
  return Array.from(
    { length: Math.min(count, items.length) },
    (_, i) => items[(from + i) % items.length],
  );
}

/**
 * Gives each unit of a prefecture one to three missions of its domain, each with up to three
 * responsibilities; some responsibilities belong to the unit directly, and the heads of leading
 * units have a mission of their own. The cabinet's missions are often carried out by its
 * Direction des sécurités.
 */
export function addMissions(out: SyntheticDirectory, units: UnitDraft[], rng: Prng): void {
  const security = units.find((u) => u.row.name === 'Direction des sécurités');
  for (const unit of units) {
    const domain = domainOf(unit.domain);
    const owner = { ownerUnitId: unit.row.uuid, ownerPostId: null };
    const carrier = unit.row.kind === OrgUnitKind.CABINET ? security : undefined;
    some(domain.missions, rng.int(1, 3), rng).forEach((title, i) => {
      const carriedOutById = carrier && rng.chance(0.5) ? carrier.row.uuid : null;
      addMission(out, `${unit.row.slug}-m${i}`, title, unit, owner, carriedOutById, i, domain, rng);
    });
    if (LEADING.has(unit.row.kind) && rng.chance(0.8)) {
      const head = unit.head;
      const title = rng.pick(domain.missions);
      const postOwner = { ownerUnitId: null, ownerPostId: head.uuid };
      addMission(out, `${head.slug}-m0`, title, unit, postOwner, null, 0, domain, rng);
    }
    if (rng.chance(0.55)) {
      some(domain.responsibilities, rng.int(1, 3), rng).forEach((title, i) =>
        out.responsibilities.push(
          responsibility(`${unit.row.slug}-r${i}`, title, null, owner, i, domain, rng),
        ),
      );
    }
  }
}

function addMission(
  out: SyntheticDirectory,
  slug: string,
  title: string,
  unit: UnitDraft,
  owner: { ownerUnitId: string | null; ownerPostId: string | null },
  carriedOutById: string | null,
  position: number,
  domain: Domain,
  rng: Prng,
): void {
  const mission: MissionRow = {
    uuid: seedUuid('Mission', slug),
    slug,
    title,
    description: rng.chance(0.4)
      ? `${title} : ${unit.row.name.charAt(0).toLowerCase()}${unit.row.name.slice(1)}, département ${unit.dept.name}.`
      : null,
    ...owner,
    carriedOutById,
    position,
  };
  out.missions.push(mission);
  some(domain.responsibilities, rng.int(0, 3), rng).forEach((t, j) =>
    out.responsibilities.push(
      responsibility(`${slug}-r${j}`, t, mission.uuid, owner, j, domain, rng),
    ),
  );
}

function responsibility(
  slug: string,
  title: string,
  missionId: string | null,
  owner: { ownerUnitId: string | null; ownerPostId: string | null },
  position: number,
  domain: Domain,
  rng: Prng,
): ResponsibilityRow {
  const reference = domain.references && rng.chance(0.35) ? rng.pick(domain.references) : null;
  return {
    uuid: seedUuid('Responsibility', slug),
    slug,
    title,
    description: null,
    reference,
    missionId,
    ...owner,
    position,
  };
}
