import { startTestGateway, TestGateway } from '../helpers/gateway';
import {
  NodeRefetchDocument,
  PostCardDocument,
  SearchDocument,
  UnitCardDocument,
  OrgChartDocument,
} from '../generated/graphql';
import { toGlobalId } from '../../src/graphql/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

/** Every statement of the source page, found again through the API. */
describe('the seeded cabinet du préfet de Seine-et-Marne', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  const unitCard = async (slug: string) => {
    const res = await gw.gql(UnitCardDocument, { slug });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.unit!;
  };

  it('draws the prefecture, its cabinet, the directorate, the services and both bureaus as a tree', async () => {
    const res = await gw.gql(OrgChartDocument, { maxDepth: 5 });
    expect(res.body.errors).toBeUndefined();
    const chart = res.body.data!.orgChart;
    expect(chart.root.name).toBe('Préfecture de Seine-et-Marne');
    expect(chart.nodes.map((e) => [e.depth, e.unit.name, e.unit.kind])).toEqual([
      [0, 'Préfecture de Seine-et-Marne', 'PREFECTURE'],
      [1, 'Cabinet du préfet', 'CABINET'],
      [2, 'Direction des sécurités', 'DIRECTORATE'],
      [2, 'Services du cabinet', 'SERVICE'],
      [3, 'Bureau de la communication interministérielle', 'BUREAU'],
      [3, "Bureau de la Représentation de l'État", 'BUREAU'],
    ]);
    const byName = new Map(chart.nodes.map((e) => [e.unit.name, e]));
    expect(byName.get('Services du cabinet')!.parentId).toBe(
      byName.get('Cabinet du préfet')!.unit.id,
    );
    expect(byName.get('Services du cabinet')!.hasChildren).toBe(true);
    expect(byName.get('Direction des sécurités')!.hasChildren).toBe(false);
  });

  it('names Frédéric Lavigne, sous-préfet, as directeur de cabinet, heading the cabinet under the préfet', async () => {
    const res = await gw.gql(PostCardDocument, { slug: 'directeur-cabinet-prefet-seine-et-marne' });
    const post = res.body.data!.post!;
    expect(post.title).toBe('Directeur de cabinet du préfet');
    expect(post.isHead).toBe(true);
    expect(post.unit.name).toBe('Cabinet du préfet');
    expect(post.reportsTo?.title).toBe('Préfet de Seine-et-Marne');
    expect(post.holderStatus).toBe('HELD');
    expect(post.holder).toMatchObject({ displayName: 'Frédéric Lavigne', grade: 'sous-préfet' });
    expect(post.appointments).toHaveLength(1);
    expect(post.missions.map((m) => m.title)).toEqual([
      'Missions traditionnelles du directeur du cabinet',
      'Sécurité des personnes et des biens',
    ]);
    const duties = post.missions.flatMap((m) => m.responsibilities.map((r) => r.title));
    expect(duties).toEqual(
      expect.arrayContaining([
        'Suivi des événements politiques',
        'Relations publiques dans le département',
        'Lutte contre les violences urbaines et scolaires',
        'Sécurité lors des manifestations exceptionnelles',
        'Sécurité routière',
      ]),
    );
    const references = post.missions
      .flatMap((m) => m.responsibilities.map((r) => r.reference))
      .filter(Boolean);
    expect(references.sort()).toEqual(['ORSEC', 'PDASR', 'PPI']);
  });

  it('tells the préfet post, held by someone the page does not name, from a vacant one', async () => {
    const res = await gw.gql(PostCardDocument, { slug: 'prefet-seine-et-marne' });
    const post = res.body.data!.post!;
    expect(post.holderStatus).toBe('HELD_BY_UNKNOWN');
    expect(post.holder).toBeNull();
    expect(post.subordinates.map((p) => p.title)).toEqual(['Directeur de cabinet du préfet']);
  });

  it('gives the cabinet its two missions, each carried out by one of its parts', async () => {
    const cabinet = await unitCard('cabinet-du-prefet-seine-et-marne');
    expect(cabinet.head?.title).toBe('Directeur de cabinet du préfet');
    expect(cabinet.ancestors.map((u) => u.name)).toEqual(['Préfecture de Seine-et-Marne']);
    expect(cabinet.missions.map((m) => [m.title, m.carriedOutBy?.name])).toEqual([
      [
        'Garantir la sécurité des biens et des personnes dans le département',
        'Direction des sécurités',
      ],
      ["Assurer la représentation de l'État et communiquer sur son action", 'Services du cabinet'],
    ]);
    expect(cabinet.missions[0].description).toContain(
      "en lien étroit avec l'ensemble des services opérationnels",
    );
    const relations = cabinet.relations.map((r) => [r.type, r.direction, r.other.__typename]);
    expect(relations).toEqual([
      ['UNDER_AUTHORITY_OF', 'OUTGOING', 'Post'],
      ['SUPPORTS', 'INCOMING', 'OrgUnit'],
    ]);
  });

  it('lists the five domains of the Direction des sécurités and records that the page announces four', async () => {
    const direction = await unitCard('direction-des-securites-seine-et-marne');
    expect(direction.responsibilities.map((r) => r.title)).toEqual([
      'La défense et la protection civile',
      'La sécurité',
      "L'ordre public et la radicalisation",
      'La sécurité routière',
      'La réglementation en matière de sécurité',
    ]);
    expect(direction.description).toContain('attentats de 2015');
    expect(direction.relations.map((r) => r.type)).toEqual(['UNDER_AUTHORITY_OF']);
    const [source] = direction.sources;
    expect(source).toMatchObject({
      title: 'Le cabinet du préfet',
      publisher: 'Préfecture de Seine-et-Marne',
      sourceDate: '2022-12-05',
      url: null,
    });
    const node = await gw.gql(`query($id: ID!) { node(id: $id) { ... on Source { notes } } }`, {
      id: source.id,
    });
    expect((node.body.data as { node: { notes: string } }).node.notes).toMatch(/4 domaines.*five/s);
  });

  it('gives each bureau its duties', async () => {
    const communication = await unitCard('bureau-communication-interministerielle-seine-et-marne');
    expect(communication.missions[0].title).toBe(
      "Valoriser l'action des services de l'État auprès des médias et des français",
    );
    expect(communication.missions[0].responsibilities.map((r) => r.title)).toEqual([
      'Communication institutionnelle',
      'Communication évènementielle',
      'Communication de crise',
    ]);
    const representation = await unitCard('bureau-representation-etat-seine-et-marne');
    expect(representation.responsibilities.map((r) => r.title)).toEqual([
      'Prises de parole de la Préfète',
      'Organisation des déplacements officiels',
      'Réponses aux interventions',
      'Relation avec les cultes',
    ]);
  });

  it('records the support of the ONACVG and its three fields', async () => {
    const onacvg = await unitCard('onacvg');
    expect(onacvg.acronym).toBe('ONACVG');
    expect(onacvg.kind).toBe('OFFICE');
    expect(onacvg.relations).toEqual([
      {
        type: 'SUPPORTS',
        direction: 'OUTGOING',
        other: expect.objectContaining({ name: 'Cabinet du préfet' }),
      },
    ]);
    expect(onacvg.responsibilities.map((r) => r.title)).toEqual([
      'Promotion de la mémoire',
      'Préparation des cérémonies patriotiques',
      'Actions éducatives',
    ]);
    const commission = await unitCard('commission-departementale-memoire-seine-et-marne');
    expect(commission.kind).toBe('COMMISSION');
  });

  it.each([
    ['securite routiere', 'Responsibility', 'Sécurité routière'],
    ['prefete', 'Post', 'Préfet de Seine-et-Marne'],
    ['ORSEC', 'Responsibility', 'Plan « organisation de la réponse de sécurité civile »'],
    ['tour de france', 'Responsibility', 'Sécurité lors des manifestations exceptionnelles'],
    ['lavigne', 'Person', 'Frédéric Lavigne'],
    ['cultes', 'Responsibility', 'Relation avec les cultes'],
    [
      'anciens combattants',
      'OrgUnit',
      'Office national des anciens combattants et des victimes de guerre',
    ],
    [
      'SEVESO',
      'Responsibility',
      "Plans particuliers d'intervention sur les sites SEVESO seuil haut",
    ],
    ['communication de crise', 'Responsibility', 'Communication de crise'],
    ['direction des securites', 'OrgUnit', 'Direction des sécurités'],
  ])('search "%s" finds the %s « %s »', async (query, type, label) => {
    const res = await gw.gql(SearchDocument, { query, first: 10 });
    expect(res.body.errors).toBeUndefined();
    const labels = res.body.data!.search.nodes.map((n) =>
      'name' in n ? n.name : 'title' in n ? n.title : 'displayName' in n ? n.displayName : null,
    );
    const types = res.body.data!.search.nodes.map((n) => n.__typename);
    expect(labels).toContain(label);
    expect(types[labels.indexOf(label)]).toBe(type);
  });

  it('narrows search to the types asked for', async () => {
    const res = await gw.gql(SearchDocument, { query: 'securite', types: ['ORG_UNIT'] });
    expect(res.body.data!.search.nodes.map((n) => n.__typename)).toEqual(['OrgUnit']);
  });

  it('gives every record an opaque id derived from its slug, the same on every database and restart', async () => {
    const cabinet = await unitCard('cabinet-du-prefet-seine-et-marne');
    expect(cabinet.id).toBe(
      toGlobalId('OrgUnit', seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne')),
    );
    expect(cabinet.id).not.toContain('cabinet');
    const res = await gw.gql(NodeRefetchDocument, { id: cabinet.id });
    expect(res.body.data!.node).toMatchObject({
      __typename: 'OrgUnit',
      name: 'Cabinet du préfet',
      version: 1,
    });
  });
});
