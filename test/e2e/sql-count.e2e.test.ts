import { randomUUID } from 'node:crypto';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { OrgUnit } from '../../src/modules/org-unit/org-unit.entity';
import { OrgUnitKind } from '../../src/modules/org-unit/org-unit-kind';

/** The whole chart with what a widget shows of every unit, in one request. */
const FULL_CHART = `{
  orgChart(maxDepth: 6) {
    entries {
      depth
      parentId
      hasChildren
      unit {
        name
        childCount
        children(first: 100) { totalCount nodes { name } }
        posts { title holderStatus holder { displayName grade } }
        missions { title carriedOutBy { name } responsibilities { title reference } }
        responsibilities { title }
        relations { type other { __typename } }
      }
    }
  }
}`;

async function statements(gw: TestGateway, query: string): Promise<number> {
  const res = await gw.gql(query);
  expect(res.body.errors).toBeUndefined();
  expect(res.headers.get('x-sql-statements')).toBe(String(res.body.extensions?.sqlStatements));
  return res.body.extensions!.sqlStatements!;
}

/**
 * Adds nine plainly fake siblings next to every unit below the top, each with a post, a holder,
 * a mission and a responsibility, so the tree becomes ten times wider.
 */
async function widen(gw: TestGateway): Promise<number> {
  const units = await gw.db.getRepository(OrgUnit).find();
  let added = 0;
  await gw.db.transaction(async (em) => {
    const ctx = { em, actor: 'test:widen' };
    for (const unit of units.filter((u) => u.parentId)) {
      for (let i = 1; i <= 9; i++) {
        const slug = `fake-${unit.slug}-${i}`.slice(0, 120);
        const { record } = await gw.services.units.upsert(ctx, {
          slug,
          name: `Unité fictive ${i} à côté de ${unit.name}`,
          kind: OrgUnitKind.BUREAU,
          parentId: unit.parentId,
          position: 100 + i,
        });
        const { record: post } = await gw.services.posts.upsert(ctx, {
          slug: `${slug}-chef`,
          title: `Chef fictif ${i}`,
          unitId: record.uuid,
          isHead: true,
        });
        const { record: person } = await gw.services.people.upsert(ctx, {
          slug: `${slug}-personne`,
          givenName: 'Test',
          familyName: `Fictif ${i}`,
        });
        await gw.services.people.appoint(ctx, {
          uuid: randomUUID(),
          postId: post.uuid,
          personId: person.uuid,
          startDate: '2020-01-01',
        });
        const { record: mission } = await gw.services.missions.upsert(ctx, {
          slug: `${slug}-mission`,
          title: `Mission fictive ${i}`,
          ownerUnitId: record.uuid,
        });
        await gw.services.responsibilities.upsert(ctx, {
          slug: `${slug}-responsabilite`,
          title: `Responsabilité fictive ${i}`,
          missionId: mission.uuid,
        });
        added++;
      }
    }
  });
  return added;
}

describe('SQL statements per request', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Note: the response cache would answer repeated reads without SQL; these count execution.
    gw = await startTestGateway({ CACHE_MAX_AGE: '0' });
  });
  afterAll(() => gw.stop());

  it('stay the same for the whole org chart with children, posts, holders, missions and responsibilities when the tree is ten times wider', async () => {
    const before = await statements(gw, FULL_CHART);
    const unitsBefore = await gw.db.getRepository(OrgUnit).count();
    const added = await widen(gw);
    expect(await gw.db.getRepository(OrgUnit).count()).toBe(unitsBefore + added);
    const res = await gw.gql(FULL_CHART);
    const entries = (res.body.data as { orgChart: { entries: unknown[] } }).orgChart.entries;
    expect(entries.length).toBeGreaterThanOrEqual(10 * 5);
    expect(await statements(gw, FULL_CHART)).toBe(before);
    // One statement per level of loading, not per unit: a fixed, small number.
    expect(before).toBeLessThanOrEqual(14);
  });

  it('are no more for the chart as nodes than as entries', async () => {
    const asNodes = FULL_CHART.replace('entries {', 'nodes {\n      id');
    expect(asNodes).toContain('nodes {');
    expect(await statements(gw, asNodes)).toBeLessThanOrEqual(await statements(gw, FULL_CHART));
  });

  it('take one statement for the top units, and one per level below them', async () => {
    expect(await statements(gw, '{ topUnits { name } }')).toBe(1);
    expect(await statements(gw, '{ topUnits { name head { title } } }')).toBe(2);
    expect(
      await statements(gw, '{ topUnits { name children(first: 5) { nodes { name } } } }'),
    ).toBe(2);
  });

  it('take one statement for descendants and one for ancestors', async () => {
    const lookup = await statements(
      gw,
      `{ unit(slug: "services-du-cabinet-seine-et-marne") { name } }`,
    );
    expect(lookup).toBe(1);
    expect(
      await statements(
        gw,
        `{ unit(slug: "services-du-cabinet-seine-et-marne") { descendants { name } } }`,
      ),
    ).toBe(lookup + 1);
    expect(
      await statements(
        gw,
        `{ unit(slug: "services-du-cabinet-seine-et-marne") { ancestors { name } depth } }`,
      ),
    ).toBe(lookup + 1);
  });

  it('batch the same field across a page of units into one statement', async () => {
    const one = await statements(
      gw,
      `{ units(first: 2) { nodes { parent { name } head { title } ancestors { name } } } }`,
    );
    const many = await statements(
      gw,
      `{ units(first: 100) { nodes { parent { name } head { title } ancestors { name } } } }`,
    );
    expect(many).toBe(one);
  });

  // Note: the chart and the units page read the heads and holders they are asked for ahead,
  // in the statements the resolvers would send (src/modules/post/post.loaders.ts,
  // `readAheadHeads`): what is read ahead must follow the operation's selection exactly.
  describe('with heads and holders read ahead', () => {
    const chart = (unit: string, extra = '') =>
      `query${unit.includes('$skip') ? '($skip: Boolean!)' : ''} { orgChart(maxDepth: 2) { entries { unit { ${unit} } } } } ${extra}`;
    const answer = async (query: string, variables?: Record<string, unknown>) => {
      const res = await gw.gql(query, variables);
      expect(res.body.errors).toBeUndefined();
      return { statements: res.body.extensions!.sqlStatements!, data: res.body.data };
    };

    it('read the heads only when asked, through @skip, aliases and fragments', async () => {
      const bare = (await answer(chart('name'))).statements;
      expect(
        (await answer(chart('name head @skip(if: $skip) { title }'), { skip: true })).statements,
      ).toBe(bare);
      expect((await answer(chart('name head { title }'))).statements).toBe(bare + 1);
      const viaFragment = await answer(
        chart('...Boss', 'fragment Boss on OrgUnit { name boss: head { holder { displayName } } }'),
      );
      // heads, their appointments, today's holders
      expect(viaFragment.statements).toBe(bare + 3);
      const direct = await answer(chart('name boss: head { holder { displayName } }'));
      expect(viaFragment.data).toEqual(direct.data);
      const named = (
        direct.data as {
          orgChart: { entries: Array<{ unit: { boss: { holder: unknown } | null } }> };
        }
      ).orgChart.entries.filter((e) => e.unit.boss?.holder);
      expect(named.length).toBeGreaterThan(0);
    });

    it('read no holder when only the status is asked', async () => {
      const bare = (await answer(chart('name'))).statements;
      // heads and their appointments, no person
      expect((await answer(chart('name head { holderStatus }'))).statements).toBe(bare + 2);
    });

    it('read the parents and heads of a units page in one statement each', async () => {
      const bare = (await answer('{ units(first: 20) { nodes { name } } }')).statements;
      const full = await answer(
        '{ units(first: 20) { edges { node { parent { name } head { title holder { displayName } } } } } }',
      );
      // parents, heads, appointments, holders
      expect(full.statements).toBe(bare + 4);
    });
  });

  it('take one statement fewer for a units page without totalCount, as many with last', async () => {
    const count = (query: string) => statements(gw, query);
    const cursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
    const page = 'pageInfo { hasNextPage } nodes { slug }';
    expect(await count(`{ units(first: 3) { ${page} } }`)).toBe(
      (await count(`{ units(first: 3) { totalCount ${page} } }`)) - 1,
    );
    expect(await count(`{ units(first: 3, after: "${cursor(2)}") { ${page} } }`)).toBe(
      (await count(`{ units(first: 3, after: "${cursor(2)}") { totalCount ${page} } }`)) - 1,
    );
    expect(await count(`{ units(last: 3) { ${page} } }`)).toBe(
      await count(`{ units(last: 3) { totalCount ${page} } }`),
    );
    // Note: asked through a fragment, it is counted.
    expect(
      await count(
        `{ units(first: 3) { ...Total ${page} } } fragment Total on OrgUnitConnection { totalCount }`,
      ),
    ).toBe(await count(`{ units(first: 3) { totalCount ${page} } }`));
  });
});
