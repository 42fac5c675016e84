import { seedUuid } from '../node/seed-uuid';
import { OrgUnitKind } from '../org-unit/org-unit-kind';
import type { Prng } from './prng';
import { FAMILY_NAMES, GIVEN_NAMES, GRADES } from './catalog';
import type { UnitDraft } from './synthetic.types';
import type { PersonRow, PostRow, SyntheticDirectory } from './synthetic.types';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Shares of posts held by a named person, held by someone unnamed, and (the rest) vacant. */
const NAMED = 0.68;
const UNNAMED = 0.06;

/**
 * Fills posts with synthetic people and dated appointments: current holders (named or not),
 * vacant posts, and the earlier holders of each post. Appointments of one post never overlap,
 * as the person service requires; earlier holders often hold another post today.
 */
export class Staffing {
  private people = 0;

  constructor(
    private readonly out: SyntheticDirectory,
    private readonly names: Prng,
  ) {}

  /** Staffs the posts of one prefecture. */
  staff(posts: PostRow[], rng: Prng, units: UnitDraft[]): void {
    const unitOf = new Map(units.map((u) => [u.row.uuid, u.row]));
    const pool: PersonRow[] = [];
    for (const post of posts) {
      const grade = gradeFor(post, unitOf.get(post.unitId)!, rng);
      const status = rng.next();
      const held = status < NAMED + UNNAMED;
      const history: Array<{ start: number; end: number }> = [];
      const named = status < NAMED;
      let start: number | null = null;
      let earlier = 0;
      if (held) {
        start = named || rng.chance(0.5) ? at('2018-01-01') + rng.int(0, 2736) * DAY : null;
        earlier = start === null ? 0 : rng.pick([0, 0, 1, 1, 2]);
      } else if (rng.chance(0.7)) {
        earlier = rng.int(1, 2);
      }
      let end = start === null ? at('2024-01-01') + rng.int(0, 546) * DAY : start - DAY;
      for (let i = 0; i < earlier; i++) {
        const from = end - rng.int(365, 5 * 365) * DAY;
        history.push({ start: from, end });
        end = from - DAY;
      }
      history.reverse().forEach(({ start: from, end: to }, i) => {
        const person =
          pool.length === 0 || rng.chance(0.12) ? this.newPerson(grade, pool) : rng.pick(pool);
        this.appoint(post, i, person, from, to, null);
      });
      if (held) {
        const person = named ? this.newPerson(grade, pool) : null;
        this.appoint(post, earlier, person, start, null, named ? null : UNNAMED_NOTE);
      }
    }
  }

  private appoint(
    post: PostRow,
    n: number,
    person: PersonRow | null,
    start: number | null,
    end: number | null,
    note: string | null,
  ): void {
    this.out.appointments.push({
      uuid: seedUuid('Appointment', `${post.slug}/${n}`),
      postId: post.uuid,
      personId: person?.uuid ?? null,
      startDate: start === null ? null : iso(start),
      endDate: end === null ? null : iso(end),
      note,
    });
  }

  private newPerson(grade: string, pool: PersonRow[]): PersonRow {
    const slug = `personne-fictive-${String(++this.people).padStart(6, '0')}`;
    const person: PersonRow = {
      uuid: seedUuid('Person', slug),
      slug,
      givenName: this.names.pick(GIVEN_NAMES),
      familyName: this.names.pick(FAMILY_NAMES),
      grade: `${grade} (fictif)`,
    };
    this.out.people.push(person);
    pool.push(person);
    return person;
  }
}

const UNNAMED_NOTE = 'Poste pourvu ; la source fictive ne nomme pas son titulaire.';

function gradeFor(post: PostRow, unit: UnitDraft['row'], rng: Prng): string {
  if (!post.isHead) return rng.pick(GRADES);
  if (unit.kind === OrgUnitKind.PREFECTURE) return 'préfet';
  if (
    unit.kind === OrgUnitKind.CABINET ||
    /^(Sous-préfecture|Secrétariat général$)/.test(unit.name)
  )
    return 'sous-préfet';
  if (unit.kind === OrgUnitKind.DIRECTORATE) return "administrateur de l'État";
  return rng.pick(GRADES);
}
