import { compact, iri } from '../node/json-ld';
import type { RecordTypeDescriptor } from '../node/record-types';
import { unitsOfPosts } from '../post/post.record';
import { Relation } from './relation.entity';
import { relationLoaders } from './relation.loaders';

declare module '../node/record-types' {
  interface NodeTypes {
    Relation: Relation;
  }
}

/** The JSON-LD property of each relation type: a sub-property of org:linkedTo. */
const RELATION_PROPERTY: Record<string, string> = {
  UNDER_AUTHORITY_OF: 'underAuthorityOf',
  SUPPORTS: 'supports',
  COORDINATES_WITH: 'coordinatesWith',
};

/** The relation properties, declared as sub-properties of org:linkedTo at the head of the graph. */
const RELATION_PROPERTIES = [
  {
    '@id': 'annuaire:underAuthorityOf',
    '@type': 'rdf:Property',
    subPropertyOf: 'org:linkedTo',
    label: 'placé sous l’autorité de',
  },
  {
    '@id': 'annuaire:supports',
    '@type': 'rdf:Property',
    subPropertyOf: 'org:linkedTo',
    label: 'apporte son concours à',
  },
  {
    '@id': 'annuaire:coordinatesWith',
    '@type': 'rdf:Property',
    subPropertyOf: 'org:linkedTo',
    label: 'en lien étroit avec',
  },
];

/** Relations from a unit to a unit or a post: in the subtrees of both ends. */
export const RELATION_RECORD: RecordTypeDescriptor<Relation> = {
  name: 'Relation',
  entity: Relation,
  table: 'relation',
  copyOrder: 70,
  references: { fromUnitId: 'OrgUnit', toUnitId: 'OrgUnit', toPostId: 'Post' },
  entityType: {
    value: 'RELATION',
    description: 'Relations between units, or from a unit to a post.',
  },
  load: (ctx, uuid) => relationLoaders(ctx).relation.load(uuid),
  anchor: async (em, s) => [
    s.fromUnitId,
    ...(s.toUnitId ? [s.toUnitId] : await unitsOfPosts(em, [s.toPostId])),
  ],
  jsonLd: {
    head: RELATION_PROPERTIES,
    // Note: a relation is no node of its own: it is folded into its source unit as a property.
    nodes(r) {
      const f = r.fields as Record<string, string | null>;
      const target = iri(f.toUnitId ?? f.toPostId);
      return [
        compact({
          '@id': iri(f.fromUnitId),
          linkedTo: target,
          [RELATION_PROPERTY[f.type as string] ?? 'linkedTo']: target,
        }),
      ];
    },
  },
};
