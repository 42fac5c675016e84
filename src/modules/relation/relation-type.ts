import { registerEnumType } from 'type-graphql';

/** Types of non-hierarchical link between units, or from a unit to a post (W3C ORG `linkedTo`). */
export enum RelationType {
  UNDER_AUTHORITY_OF = 'UNDER_AUTHORITY_OF',
  SUPPORTS = 'SUPPORTS',
  COORDINATES_WITH = 'COORDINATES_WITH',
}

registerEnumType(RelationType, {
  name: 'RelationType',
  description: 'The type of a non-hierarchical link. New types may be added over time.',
  valuesConfig: {
    UNDER_AUTHORITY_OF: {
      description:
        '« placé(e) sous l’autorité de »: the source is under the authority of the target.',
    },
    SUPPORTS: { description: '« apporte son concours »: the source supports the target.' },
    COORDINATES_WITH: {
      description: '« en lien étroit avec »: the source works closely with the target.',
    },
  },
});

/** Which end of a relation a unit stands at. */
export enum RelationDirection {
  OUTGOING = 'OUTGOING',
  INCOMING = 'INCOMING',
}

registerEnumType(RelationDirection, {
  name: 'RelationDirection',
  description: 'Which end of a relation the unit stands at.',
  valuesConfig: {
    OUTGOING: { description: 'The unit is the source (`from`) of the relation.' },
    INCOMING: { description: 'The unit is the target (`to`) of the relation.' },
  },
});
