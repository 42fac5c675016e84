import { In } from 'typeorm';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { OrgUnit } from '../../src/modules/org-unit/org-unit.entity';
import { ChangeEntry } from '../../src/modules/changelog/change-entry.entity';
import { ChangeOperation } from '../../src/modules/node/change-operation';

/**
 * Concurrent writes over HTTP. Optimistic concurrency must let exactly one of two updates made
 * against the same version win, and lose nothing; a slug race must end with one record.
 */

const ONACVG = seedUuid('OrgUnit', 'onacvg');
const SERVICES = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne'));
const ROUNDS = 5;

const UPDATE = `mutation($input: UpdateUnitInput!) {
  updateUnit(input: $input) { unit { name version } userErrors { field code } }
}`;
const CREATE = `mutation($input: CreateUnitInput!) {
  createUnit(input: $input) { unit { id } userErrors { field code } }
}`;

interface Payload {
  unit: { name?: string; version?: number; id?: string } | null;
  userErrors: Array<{ field: string[]; code: string }>;
}

let gw: TestGateway;
let editor: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  editor = { authorization: `Bearer ${(await gw.auth.keys.create('race', Role.EDITOR)).key}` };
});

afterAll(() => gw?.stop());

/** The unit's name and version, and its UPDATED entries in the change log, from the database. */
async function stored(uuid: string) {
  const unit = await gw.db.getRepository(OrgUnit).findOneByOrFail({ uuid });
  const log = await gw.db.getRepository(ChangeEntry).find({
    where: { entityId: uuid, operation: ChangeOperation.UPDATED },
    order: { sequence: 'ASC' },
  });
  return { name: unit.name, version: unit.version, log };
}

describe('two updates against the same version', () => {
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i: exactly one wins, the other gets CONFLICT, nothing is lost',
    async (round) => {
      const before = await stored(ONACVG);
      const names = [`Office, round ${round}, writer A`, `Office, round ${round}, writer B`];
      const responses = await Promise.all(
        names.map((name) =>
          gw.gql<{ updateUnit: Payload }>(
            UPDATE,
            {
              input: {
                id: toGlobalId('OrgUnit', ONACVG),
                expectedVersion: before.version,
                name,
              },
            },
            editor,
          ),
        ),
      );
      for (const res of responses) expect(res.body.errors).toBeUndefined();
      const payloads = responses.map((r) => r.body.data!.updateUnit);
      const winners = payloads.filter((p) => p.unit !== null);
      const losers = payloads.filter((p) => p.unit === null);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(winners[0].userErrors).toEqual([]);
      expect(losers[0].userErrors).toEqual([
        { field: ['input', 'expectedVersion'], code: 'CONFLICT' },
      ]);
      const winner = winners[0].unit!;
      expect(winner.version).toBe(before.version + 1);

      const after = await stored(ONACVG);
      expect(after.name).toBe(winner.name);
      expect(after.version).toBe(before.version + 1);
      const added = after.log.slice(before.log.length);
      expect(added).toHaveLength(1);
      expect(added[0].version).toBe(before.version + 1);
      expect(added[0].changes).toEqual({
        name: { before: before.name, after: winner.name },
      });
    },
  );
});

describe('ten creations with the same slug', () => {
  /** Fires ten createUnit with one slug at once; returns the payloads and stored rows. */
  async function race(slug: string) {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        gw.gql<{ createUnit: Payload }>(
          CREATE,
          { input: { slug, name: `Bureau ${i}`, kind: 'BUREAU', parentId: SERVICES } },
          editor,
        ),
      ),
    );
    const units = await gw.db.getRepository(OrgUnit).findBy({ slug });
    const logged = await gw.db.getRepository(ChangeEntry).countBy({
      entityId: In(units.map((u) => u.uuid)),
      operation: ChangeOperation.CREATED,
    });
    return { responses, units, logged };
  }

  // Note: on PostgreSQL two transactions can both pass the slug check; the unique index decides,
  // and the loser's violation must come back as SLUG_TAKEN, not as an internal error.
  it(`one is created, nine get SLUG_TAKEN (${ROUNDS} rounds)`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const { responses, units, logged } = await race(`bureau-course-${round}`);
      expect(responses.map((r) => r.body.errors?.[0].extensions?.code ?? null)).toEqual(
        Array(10).fill(null),
      );
      const payloads = responses.map((r) => r.body.data!.createUnit);
      expect(payloads.filter((p) => p.unit !== null)).toHaveLength(1);
      expect(payloads.filter((p) => p.unit === null).map((p) => p.userErrors)).toEqual(
        Array(9).fill([{ field: ['input', 'slug'], code: 'SLUG_TAKEN' }]),
      );
      expect(units).toHaveLength(1);
      expect(logged).toBe(1);
    }
  });

  it('whatever the answers, one unit is stored, with one CREATED entry', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const { responses, units, logged } = await race(`bureau-stockage-${round}`);
      const created = responses.filter((r) => r.body.data?.createUnit?.unit);
      expect(created).toHaveLength(1);
      expect(units.map((u) => u.id)).toEqual([created[0].body.data!.createUnit.unit!.id]);
      expect(logged).toBe(1);
    }
  });
});
