import { startTestGateway, TestGateway, GqlResponse } from '../helpers/gateway';
import { Role } from '../../src/graphql/role';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { compactChangeLog } from '../../src/modules/sync/change-feed';

const HIT = /^annuaire-graphql; hit/;
const MISS = 'annuaire-graphql; fwd=miss';
const BUREAU = 'bureau-representation-etat-seine-et-marne';

const chart = (root: string) =>
  `{ orgChart(root: "${root}", maxDepth: 3) { nodes { id parentId hasChildren unit { name head { title holderStatus holder { displayName } } } } } }`;
const card = (slug: string) =>
  `{ unit(slug: "${slug}") { name parent { name } children { totalCount nodes { name } } head { title } posts { title } } }`;
const uuid = (slug: string) => seedUuid('OrgUnit', slug);

const RENAME = `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { name version } userErrors { code } } }`;

/** Cached answers carry what they read; a write invalidates only those that read what it touched. */
describe.each([
  ['the HTTP answer cache', {}],
  ['the Apollo response cache', { CACHE_MEMORY_MB: '0' }],
])('invalidation by what an answer read, in %s', (_name, env: Record<string, string>) => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  const httpLevel = !env.CACHE_MEMORY_MB;
  beforeAll(async () => {
    gw = await startTestGateway(env);
    editor = {
      authorization: `Bearer ${(await gw.auth.keys.create('tags editor', Role.EDITOR)).key}`,
    };
  });
  afterAll(() => gw.stop());

  /** Whether the answer came from the cache: its Cache-Status, or the Age a kept response has. */
  const hit = (res: GqlResponse) =>
    httpLevel ? HIT.test(res.headers.get('cache-status') ?? '') : res.headers.get('age') !== null;

  it('keeps the charts and cards that did not read the renamed unit, and drops those that did', async () => {
    const unrelated = [
      chart('onacvg'),
      chart('direction-des-securites-seine-et-marne'),
      card('direction-des-securites-seine-et-marne'),
      card('onacvg'),
    ];
    const containing = [
      chart('services-du-cabinet-seine-et-marne'),
      chart('prefecture-seine-et-marne'),
      card(BUREAU),
      card('services-du-cabinet-seine-et-marne'),
    ];
    for (const q of [...unrelated, ...containing]) {
      const first = await gw.gql(q);
      expect(first.body.errors).toBeUndefined();
      if (httpLevel) expect(first.headers.get('cache-status')).toBe(MISS);
      expect(hit(await gw.gql(q))).toBe(true);
    }
    const renamed = await gw.gql(
      RENAME,
      {
        input: {
          id: toGlobalId('OrgUnit', uuid(BUREAU)),
          expectedVersion: 1,
          name: 'Bureau renommé (test des étiquettes)',
        },
      },
      editor,
    );
    expect(renamed.body.data).toMatchObject({ updateUnit: { userErrors: [] } });
    // The first lookup after the write reads the head and the new entries; the next, the head.
    const probe = await gw.gql(unrelated[0]);
    expect(hit(probe)).toBe(true);
    expect(probe.body.extensions!.sqlStatements).toBe(2);
    expect((await gw.gql(unrelated[0])).body.extensions!.sqlStatements).toBe(1);
    for (const q of unrelated) expect([q, hit(await gw.gql(q))]).toEqual([q, true]);
    for (const q of containing) {
      const after = await gw.gql(q);
      expect([q, hit(after)]).toEqual([q, false]);
      expect(JSON.stringify(after.body.data)).toContain('Bureau renommé (test des étiquettes)');
      expect(hit(await gw.gql(q))).toBe(true);
    }
  });

  it('drops the lists of units and the top units when a unit is created anywhere', async () => {
    const lists = ['{ units(first: 50) { totalCount nodes { name } } }', '{ topUnits { name } }'];
    for (const q of lists) {
      await gw.gql(q);
      expect(hit(await gw.gql(q))).toBe(true);
    }
    const onacvgChart = chart('onacvg');
    await gw.gql(onacvgChart);
    const created = await gw.gql(
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } userErrors { code } } }`,
      {
        input: {
          slug: `unite-fictive-etiquettes-${env.CACHE_MEMORY_MB ?? 'http'}`,
          name: 'Unité fictive des étiquettes',
          kind: 'OFFICE',
          parentId: toGlobalId('OrgUnit', uuid('direction-des-securites-seine-et-marne')),
        },
      },
      editor,
    );
    expect(created.body.data).toMatchObject({ createUnit: { userErrors: [] } });
    for (const q of lists) {
      const after = await gw.gql(q);
      expect([q, hit(after)]).toEqual([q, false]);
    }
    expect(JSON.stringify((await gw.gql(lists[0])).body.data)).toContain(
      'Unité fictive des étiquettes',
    );
    expect(hit(await gw.gql(onacvgChart))).toBe(true);
    const parentChart = await gw.gql(chart('direction-des-securites-seine-et-marne'));
    expect(hit(parentChart)).toBe(false);
    expect(JSON.stringify(parentChart.body.data)).toContain('Unité fictive des étiquettes');
  });

  it('keeps the charts elsewhere when a post of one unit gets a holder, and drops those showing it', async () => {
    const suffix = env.CACHE_MEMORY_MB ?? 'http';
    const createPost = async (unit: string, slug: string, isHead: boolean) =>
      (
        await gw.gql<{ createPost: { post: { id: string } } }>(
          `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id } userErrors { code } } }`,
          {
            input: {
              unitId: toGlobalId('OrgUnit', uuid(unit)),
              slug: `${slug}-${suffix}`,
              title: 'Poste fictif des étiquettes',
              isHead,
            },
          },
          editor,
        )
      ).body.data!.createPost.post.id;
    const appoint = async (postId: string, slug: string) =>
      gw.gql(
        `mutation($input: AppointInput!) { appoint(input: $input) { appointment { id } userErrors { code } } }`,
        {
          input: {
            postId,
            startDate: '2026-01-05',
            newPerson: { slug: `${slug}-${suffix}`, familyName: 'Fictive', givenName: 'Étiquette' },
          },
        },
        editor,
      );
    // The ONACVG's chart shows a holder too (of a post made for the test), away from the bureau.
    await appoint(
      await createPost('onacvg', 'poste-fictif-onacvg', true),
      'personne-fictive-onacvg',
    );
    const postId = await createPost(BUREAU, 'poste-fictif-etiquettes', false);
    const elsewhere = [chart('onacvg')];
    const showing = [
      chart('services-du-cabinet-seine-et-marne'),
      `{ unit(slug: "${BUREAU}") { posts { title holderStatus holder { displayName } } } }`,
    ];
    for (const q of [...elsewhere, ...showing]) {
      await gw.gql(q);
      expect(hit(await gw.gql(q))).toBe(true);
    }
    const appointed = await appoint(postId, 'personne-fictive-etiquettes');
    expect(appointed.body.data).toMatchObject({ appoint: { userErrors: [] } });
    // Tagged `type:Appointment` before, every chart that shows a holder missed.
    for (const q of elsewhere) expect([q, hit(await gw.gql(q))]).toEqual([q, true]);
    for (const q of showing) expect([q, hit(await gw.gql(q))]).toEqual([q, false]);
    expect(JSON.stringify((await gw.gql(showing[1])).body.data)).toContain('Étiquette Fictive');
  });
});

describe('the answer cache and change-log compaction', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  it('misses when entries it had not read yet were compacted away, since what they touched is lost', async () => {
    const editor = {
      authorization: `Bearer ${(await gw.auth.keys.create('compaction editor', Role.EDITOR)).key}`,
    };
    const q = chart('onacvg');
    await gw.gql(q);
    expect((await gw.gql(q)).headers.get('cache-status')).toMatch(HIT);
    const renamed = await gw.gql(
      RENAME,
      {
        input: {
          id: toGlobalId('OrgUnit', uuid('onacvg')),
          expectedVersion: 1,
          name: 'ONACVG renommé avant compaction',
        },
      },
      editor,
    );
    expect(renamed.body.data).toMatchObject({ updateUnit: { userErrors: [] } });
    await compactChangeLog(gw.db, new Date(Date.now() + 60_000));
    const after = await gw.gql(q);
    expect(after.headers.get('cache-status')).toBe(MISS);
    expect(JSON.stringify(after.body.data)).toContain('ONACVG renommé avant compaction');
    expect((await gw.gql(q)).headers.get('cache-status')).toMatch(HIT);
  });
});

describe('the keys a CDN purges, from the change feed', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  it('gives each change the Surrogate-Key values it purges, among them every key of an answer it changed', async () => {
    const editor = {
      authorization: `Bearer ${(await gw.auth.keys.create('feed editor', Role.EDITOR)).key}`,
    };
    const q = chart('services-du-cabinet-seine-et-marne');
    const served = (await gw.gql(q)).headers.get('surrogate-key')!.split(' ');
    const head = await gw.gql<{ changes: { pageInfo: { endCursor: string } } }>(
      '{ changes(first: 1000) { pageInfo { endCursor } } }',
    );
    const renamed = await gw.gql(
      RENAME,
      {
        input: {
          id: toGlobalId('OrgUnit', uuid(BUREAU)),
          expectedVersion: 1,
          name: 'Bureau renommé (purge)',
        },
      },
      editor,
    );
    expect(renamed.body.data).toMatchObject({ updateUnit: { userErrors: [] } });
    const feed = await gw.gql<{ changes: { nodes: Array<{ surrogateKeys: string[] }> } }>(
      'query($after: String!) { changes(after: $after) { nodes { surrogateKeys } } }',
      { after: head.body.data!.changes.pageInfo.endCursor },
    );
    const purged = feed.body.data!.changes.nodes.flatMap((c) => c.surrogateKeys);
    expect(purged).toEqual(
      expect.arrayContaining([
        `OrgUnit:${uuid(BUREAU)}`,
        `sub:${uuid(BUREAU)}`,
        `sub:${uuid('services-du-cabinet-seine-et-marne')}`,
        `sub:${uuid('prefecture-seine-et-marne')}`,
        'type:OrgUnit',
        'all',
      ]),
    );
    expect(served.some((key) => purged.includes(key))).toBe(true);
    expect(purged).not.toContain(`sub:${uuid('onacvg')}`);
  });
});

describe('the Surrogate-Key header', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  const keys = (res: GqlResponse) => (res.headers.get('surrogate-key') ?? '').split(' ');

  it('names what a public answer read, on the answer and on its cached copies', async () => {
    const q = chart('onacvg');
    const first = await gw.gql(q);
    expect(keys(first)).toContain(`sub:${uuid('onacvg')}`);
    expect(keys(first)).not.toContain('all');
    // The root's subtree tag covers the tags of every unit in the chart.
    const whole = keys(await gw.gql(chart('prefecture-seine-et-marne')));
    expect(whole.filter((k) => k.startsWith('sub:') || k.startsWith('OrgUnit:'))).toEqual([
      `sub:${uuid('prefecture-seine-et-marne')}`,
    ]);
    const again = await gw.gql(q);
    expect(again.headers.get('cache-status')).toMatch(HIT);
    expect(again.headers.get('surrogate-key')).toBe(first.headers.get('surrogate-key'));

    const unitCard = await gw.gql(card(BUREAU));
    expect(keys(unitCard)).toEqual(
      expect.arrayContaining([
        `OrgUnit:${uuid(BUREAU)}`,
        `OrgUnit:${uuid('services-du-cabinet-seine-et-marne')}`,
        `sub:${uuid(BUREAU)}`,
      ]),
    );
    expect(keys(await gw.gql('{ topUnits { name } }'))).toContain('type:OrgUnit');
    expect(keys(await gw.gql('{ search(query: "bureau") { totalCount } }'))).toEqual(
      expect.arrayContaining(['type:OrgUnit', 'type:Post', 'type:Person']),
    );
  });

  it('is `all` for an answer that read what no finer tag covers (a unit’s history)', async () => {
    const res = await gw.gql(`{ unit(slug: "onacvg") { name history(first: 1) { totalCount } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(keys(res)).toContain('all');
  });

  it('is absent from authenticated answers, which are private', async () => {
    const agent = {
      authorization: `Bearer ${(await gw.auth.keys.create('tags agent', Role.AGENT)).key}`,
    };
    const res = await gw.gql(chart('onacvg'), undefined, agent);
    expect(res.headers.get('surrogate-key')).toBeNull();
  });
});
