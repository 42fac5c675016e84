import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PagingArgs, ConnectionType } from '../../graphql/connection';
import { RelationTarget } from '../../graphql/unions';
import { OrgUnit } from './org-unit.entity';
import { Post } from '../post/post.entity';
import { OrgUnitKind } from './org-unit-kind';
import { Relation } from '../relation/relation.entity';
import { RelationDirection, RelationType } from '../relation/relation-type';
import { OrgChartNode } from './org-chart-node.types';

export const OrgUnitConnection = ConnectionType(OrgUnit, 'OrgUnit', 'unit');

/** Filters of `units`, combined with AND. */
@InputType({ description: 'An identifier in another system or register.' })
export class ExternalIdInput {
  @Field({ description: 'The system or register: `annuaire`, `itm`, `siret`, `siren`.' })
  scheme: string;

  @Field({ description: 'The identifier in that system, as it writes it.' })
  value: string;
}

@InputType({ description: 'Filters of `units`; all given filters must hold.' })
export class OrgUnitFilter {
  @Field(() => OrgUnitKind, { nullable: true, description: 'Only units of this kind.' })
  kind?: OrgUnitKind | null;

  @Field(() => ID, { nullable: true, description: 'Only the direct children of this unit.' })
  parentId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only the units below this one, at any depth (a whole subtree, itself excluded).',
  })
  ancestorId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Only units whose name, acronym or description match these words (accent- and case-insensitive, last word as a prefix).',
  })
  text?: string | null;

  @Field(() => ExternalIdInput, {
    nullable: true,
    description:
      'Only the units with this identifier in another system: one for a national id, possibly several for a SIRET or SIREN.',
  })
  externalId?: ExternalIdInput | null;

  @Field(() => Boolean, { nullable: true, description: 'Include archived units (default false).' })
  includeArchived?: boolean | null;
}

@ArgsType()
export class UnitsArgs extends PagingArgs {
  @Field(() => OrgUnitFilter, { nullable: true, description: 'Filters; none returns every unit.' })
  filter?: OrgUnitFilter | null;
}

@ArgsType()
export class UnitLookupArgs {
  @Field(() => ID, { nullable: true, description: 'Global id of the unit.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'Slug of the unit.' })
  slug?: string | null;

  @Field(() => ExternalIdInput, {
    nullable: true,
    description:
      'An identifier of the unit in another system, e.g. `{ scheme: "annuaire", value: "<id in the national directory>" }`.',
  })
  externalId?: ExternalIdInput | null;
}

@ArgsType()
export class ChildrenArgs extends PagingArgs {
  @Field(() => OrgUnitKind, { nullable: true, description: 'Only children of this kind.' })
  kind?: OrgUnitKind | null;
}

@ArgsType()
export class DescendantsArgs {
  @Field(() => Int, {
    nullable: true,
    description:
      'How many levels down to go (1 = children); default and maximum: the configured org-chart depth.',
  })
  maxDepth?: number | null;

  @Field(() => OrgUnitKind, { nullable: true, description: 'Only descendants of this kind.' })
  kind?: OrgUnitKind | null;
}

@ArgsType()
export class OrgChartArgs {
  @Field(() => String, {
    nullable: true,
    description:
      'Slug or global id of the root unit. Without it, the first of `topUnits`: the active top unit with the lowest position, then name. List `topUnits` to chart the others.',
  })
  root?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Levels below the root to include (0 = the root alone); default 3.',
  })
  maxDepth?: number | null;
}

@ObjectType({
  description:
    'One unit of an org chart, with what a widget needs to draw it and to expand it later.',
})
export class OrgChartEntry {
  @Field(() => OrgUnit, { description: 'The unit.' })
  unit: OrgUnit;

  @Field(() => Int, { description: 'Levels below the chart root (the root is 0).' })
  depth: number;

  @Field(() => ID, {
    nullable: true,
    description: 'Global id of the parent unit; null for the chart root when it is a top unit.',
  })
  parentId: string | null;

  @Field({
    description:
      'True when the unit has children, whether or not they are in this chart: a widget shows an expander, then calls `orgChart(root: <id>)`.',
  })
  hasChildren: boolean;
}

@ObjectType({
  description:
    'A flat org chart: the root and its subtree to a depth, in depth-first order (siblings by position).',
})
export class OrgChart {
  @Field(() => OrgUnit, { description: 'The unit the chart starts from.' })
  root: OrgUnit;

  @Field(() => Int, { description: 'The depth the chart was cut at.' })
  maxDepth: number;

  @Field(() => [OrgChartEntry], {
    description:
      'The root (depth 0) and every unit below it down to `maxDepth`, each before its own subtree. Rebuild the tree with `parentId`.',
    deprecationReason:
      'The root entry names its parent even when that parent is outside the chart, so flat-list tools such as d3.stratify refuse a subtree; use `nodes`, whose root has a null `parentId`.',
  })
  entries: OrgChartEntry[];

  @Field(() => [OrgChartNode], {
    description:
      'The root (depth 0) and every unit below it down to `maxDepth`, each before its own subtree, as a self-contained flat tree: the root has a null `parentId`, every other node names a parent in the list. `d3.stratify()` takes it as it is.',
  })
  nodes: OrgChartNode[];
}

@ObjectType({
  description:
    'A relation seen from one of its units: its type, which end the unit is, and the other end.',
})
export class UnitRelation {
  @Field(() => RelationType, { description: 'The type of the relation.' })
  type: RelationType;

  @Field(() => RelationDirection, {
    description:
      'OUTGOING when the unit is the source of the relation, INCOMING when it is the target.',
  })
  direction: RelationDirection;

  @Field(() => RelationTarget, { description: 'The unit or post at the other end.' })
  other: OrgUnit | Post;

  @Field(() => Relation, { description: 'The relation itself.' })
  relation: Relation;
}
