import {
  startSiblingGateway,
  startTestGateway,
  TestGateway,
  GqlResponse,
} from '../helpers/gateway';
import { REDIS_URL, redisSuitesRun } from '../helpers/redis';
import { Role } from '../../src/graphql/role';
import { Prng } from '../../src/modules/synthetic/prng';

/**
 * The property the caches keep: after any committed write, no instance serves an answer that the
 * write changed. Random writes (over HTTP, with an EDITOR key, to either instance) alternate with
 * public reads from two instances sharing the database (and Redis, when it answers); every read
 * is compared with a fresh execution by a third instance that caches nothing. `TAGS_SEED` replays
 * a failing run; `TAGS_STEPS` sets its length.
 */
const STEPS = Number(process.env.TAGS_STEPS ?? 200);
const SEED = Number(process.env.TAGS_SEED ?? Math.floor(Math.random() * 2 ** 31));

const SLUGS = [
  'prefecture-seine-et-marne',
  'cabinet-du-prefet-seine-et-marne',
  'direction-des-securites-seine-et-marne',
  'services-du-cabinet-seine-et-marne',
  'bureau-communication-interministerielle-seine-et-marne',
  'bureau-representation-etat-seine-et-marne',
  'onacvg',
  'commission-departementale-memoire-seine-et-marne',
];

/** The public reads, each a named operation (the name keeps this run's Redis entries apart). */
function reads(run: string, k: Known): string[] {
  const unitIds = k.units.map((u) => u.id);
  const unit = `name kind version archivedAt parent { name } ancestors { name } childCount
    children { totalCount nodes { name } } head { title holderStatus holder { displayName } }
    posts { title } missions { title responsibilities { title } } relations { type other { __typename ... on OrgUnit { name } } }`;
  return [
    ...SLUGS.map((slug) => `{ unit(slug: "${slug}") { ${unit} } }`),
    ...SLUGS.slice(0, 5).map(
      (slug) =>
        `{ orgChart(root: "${slug}", maxDepth: 3) { root { name } nodes { id parentId depth hasChildren unit { name head { title holderStatus holder { displayName grade } } } } } }`,
    ),
    '{ orgChart(maxDepth: 2) { nodes { id unit { name } } } }',
    '{ units(first: 100) { totalCount nodes { name parent { name } } } }',
    '{ units(first: 100, filter: { kind: OFFICE }) { totalCount nodes { name } } }',
    '{ topUnits { name hasChildren } }',
    '{ search(query: "nom") { totalCount nodes { __typename ... on OrgUnit { name } ... on Post { title } ... on Person { displayName } } } }',
    '{ search(query: "bureau") { totalCount nodes { __typename ... on OrgUnit { name } ... on Post { title } } } }',
    ...unitIds
      .slice(0, 4)
      .map((id) => `{ node(id: "${id}") { id ... on OrgUnit { name version parent { name } } } }`),
    ...k.posts.map(
      (p) =>
        `{ post(id: "${p.id}") { title unit { name } holderStatus holder { displayName } appointments { startDate endDate person { displayName } } missions { title responsibilities { title } } responsibilities { title } relations { type } } }`,
    ),
    ...k.people
      .slice(0, 2)
      .map(
        (p) =>
          `{ person(id: "${p.id}") { displayName posts { title unit { name } } appointments { startDate post { title } } } }`,
      ),
  ].map((q, i) => `query Q${run}x${i} ${q}`);
}

interface Known {
  units: Array<{ id: string; version: number; archived: boolean }>;
  posts: Array<{ id: string; version: number; title: string }>;
  people: Array<{ id: string; version: number }>;
}

// Note: with Redis, the anonymous budget of 127.0.0.1 is shared by every run in the window.
const BUDGET = { RATE_LIMIT_POINTS: '1000000000' };
const variants: Array<[string, Record<string, string>]> = [['in memory', BUDGET]];
if (redisSuitesRun()) variants.push([`with Redis (${REDIS_URL})`, { ...BUDGET, REDIS_URL }]);

describe.each(variants)('cached answers across two instances, %s', (variant, env) => {
  let one: TestGateway;
  let two: TestGateway;
  let fresh: TestGateway;
  let editor: Record<string, string>;
  beforeAll(async () => {
    one = await startTestGateway(env);
    two = await startSiblingGateway(one, env);
    fresh = await startSiblingGateway(one, { CACHE_MAX_AGE: '0' });
    editor = {
      authorization: `Bearer ${(await one.auth.keys.create('property editor', Role.EDITOR)).key}`,
    };
  });
  afterAll(async () => {
    await fresh?.stop();
    await two?.stop();
    await one?.stop();
  });

  async function known(): Promise<Known> {
    const res = await fresh.gql<{
      units: { nodes: Array<{ id: string; version: number; archivedAt: string | null }> };
      posts: { nodes: Array<{ id: string; version: number; title: string }> };
      people: { nodes: Array<{ id: string; version: number }> };
    }>(`{
      units(first: 100, filter: { includeArchived: true }) { nodes { id version archivedAt } }
      posts(first: 100) { nodes { id version title } }
      people(first: 100) { nodes { id version } }
    }`);
    const data = res.body.data!;
    return {
      units: data.units.nodes.map((u) => ({ ...u, archived: u.archivedAt !== null })),
      posts: data.posts.nodes,
      people: data.people.nodes,
    };
  }

  /** One random write, sent to one of the two instances; returns what it was, for the log. */
  async function write(rng: Prng, step: number): Promise<string> {
    const k = await known();
    const unit = rng.pick(k.units);
    const other = rng.pick(k.units);
    const writes: Array<[string, string, Record<string, unknown>]> = [
      [
        'updateUnit',
        'UpdateUnitInput',
        { id: unit.id, expectedVersion: unit.version, name: `Nom ${step} ${rng.int(0, 999)}` },
      ],
      [
        'moveUnit',
        'MoveUnitInput',
        {
          id: unit.id,
          expectedVersion: unit.version,
          parentId: rng.chance(0.15) ? null : other.id,
        },
      ],
      [
        'createUnit',
        'CreateUnitInput',
        {
          slug: `prop-${SEED}-${variant.length}-${step}`,
          name: `Nom créé ${step}`,
          kind: 'OFFICE',
          parentId: other.id,
        },
      ],
      ['archiveUnit', 'ArchiveUnitInput', { id: unit.id, expectedVersion: unit.version }],
      ['restoreUnit', 'RestoreUnitInput', { id: unit.id, expectedVersion: unit.version }],
    ];
    if (k.posts.length) {
      const post = rng.pick(k.posts);
      writes.push(
        [
          'updatePost',
          'UpdatePostInput',
          { id: post.id, expectedVersion: post.version, title: `Nom du poste ${step}` },
        ],
        [
          'updatePost',
          'UpdatePostInput',
          { id: post.id, expectedVersion: post.version, unitId: other.id },
        ],
        [
          'createPost',
          'CreatePostInput',
          {
            slug: `prop-poste-${SEED}-${variant.length}-${step}`,
            title: `Nom poste créé ${step}`,
            unitId: other.id,
            isHead: rng.chance(0.5),
          },
        ],
      );
      const vacant = k.posts.filter((p) => p.title.startsWith('Poste vacant'));
      if (k.people.length && vacant.length) {
        const person = rng.pick(k.people);
        const year = 1900 + rng.int(0, 90);
        writes.push([
          'appoint',
          'AppointInput',
          {
            postId: rng.pick(vacant).id,
            personId: person.id,
            // Note: closed and in the past, on posts created vacant, so that some do not overlap.
            startDate: `${year}-01-01`,
            endDate: `${year + rng.int(0, 3)}-12-31`,
          },
        ]);
      }
    }
    if (k.people.length) {
      const person = rng.pick(k.people);
      writes.push([
        'updatePerson',
        'UpdatePersonInput',
        { id: person.id, expectedVersion: person.version, familyName: `Nom${step}` },
      ]);
    }
    const [mutation, input, values] = rng.pick(writes);
    const gw = rng.chance(0.5) ? one : two;
    const res = await gw.gql(
      `mutation($input: ${input}!) { ${mutation}(input: $input) { userErrors { code } } }`,
      { input: values },
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    const errors = (res.body.data![mutation] as { userErrors: Array<{ code: string }> }).userErrors;
    return `${mutation} ${JSON.stringify(values)} → ${errors.length ? errors[0].code : 'ok'}`;
  }

  const answer = (res: GqlResponse) => ({
    data: res.body.data,
    errors: res.body.errors?.map((e) => e.extensions?.code),
  });

  it(`serves no answer that a committed write changed (seed ${SEED})`, async () => {
    const rng = new Prng(SEED);
    // Note: posts with no holder, which appointments can be given to.
    for (const slug of SLUGS.slice(2, 5)) {
      const unit = await fresh.gql<{ unit: { id: string } }>(`{ unit(slug: "${slug}") { id } }`);
      const created = await one.gql(
        `mutation($input: CreatePostInput!) { createPost(input: $input) { userErrors { code } } }`,
        {
          input: {
            slug: `vacant-${SEED}-${variant.length}-${slug}`,
            title: `Poste vacant ${slug}`,
            unitId: unit.body.data!.unit.id,
          },
        },
        editor,
      );
      expect(created.body.data).toMatchObject({ createPost: { userErrors: [] } });
    }
    const queries = reads(`${SEED}${variant.length}`, await known());
    const log: string[] = [];
    let hits = 0;
    for (let step = 0; step < STEPS; step++) {
      if (rng.chance(0.2)) {
        log.push(`${step}: ${await write(rng, step)}`);
        continue;
      }
      const query = rng.pick(queries);
      const gw = rng.chance(0.5) ? one : two;
      const served = await gw.gql(query);
      const expected = await fresh.gql(query);
      const cached =
        /hit/.test(served.headers.get('cache-status') ?? '') || served.headers.has('age');
      if (cached) hits++;
      log.push(
        `${step}: read ${query.slice(0, 80)} on ${gw === one ? 'one' : 'two'}${cached ? ' (hit)' : ''}`,
      );
      if (JSON.stringify(answer(served)) !== JSON.stringify(answer(expected))) {
        throw new Error(
          `Seed ${SEED} (${variant}), step ${step}: a cached answer differs from a fresh execution.\n` +
            `query: ${query}\nserved: ${JSON.stringify(answer(served))}\nfresh:  ${JSON.stringify(answer(expected))}\n` +
            `steps:\n${log.slice(-30).join('\n')}`,
        );
      }
    }
    if (process.env.TAGS_LOG) console.log(log.join('\n'));
    // Note: the property says nothing if nothing came from a cache.
    expect(hits).toBeGreaterThanOrEqual(STEPS / 20);
  }, 240_000);
});
