import { registerEnumType } from 'type-graphql';
import { onRecordTypesFilled } from '../node/record-types';

/** A record type of the directory as the change feed and exports name it: its GraphQL name. */
export type EntityType = string;

/**
 * The GraphQL `EntityType` enum, one value per record type (`ORG_UNIT` stands for `OrgUnit`),
 * made from the record-type descriptors when the composition root fills the registry.
 */
export const EntityType: Record<string, EntityType> = {};

onRecordTypesFilled((types) => {
  const sorted = [...types].sort((a, b) => (a.entityType.value < b.entityType.value ? -1 : 1));
  for (const t of sorted) EntityType[t.entityType.value] = t.name;
  registerEnumType(EntityType, {
    name: 'EntityType',
    description: 'A record type of the directory.',
    valuesConfig: Object.fromEntries(
      sorted.map((t) => [t.entityType.value, { description: t.entityType.description }]),
    ),
  });
});
