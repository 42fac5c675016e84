import { Field, ID, Int, ObjectType } from 'type-graphql';
import { OrgUnit } from './org-unit.entity';

/** One unit of `OrgChart.nodes`: a flat tree whose root has no parent, as d3.stratify takes it. */
@ObjectType({
  description:
    "One unit of an org chart as a flat-tree node: `id` and `parentId` are d3.stratify's default keys, and the chart root's `parentId` is null.",
})
export class OrgChartNode {
  @Field(() => ID, { description: "The unit's global id (the same as `unit.id`)." })
  id: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "Global id of the parent unit, always one of the chart's nodes; null for the chart root, even when the root has a parent (read it from `unit.parent`).",
  })
  parentId: string | null;

  @Field(() => Int, { description: 'Levels below the chart root (the root is 0).' })
  depth: number;

  @Field({
    description:
      'True when the unit has children, whether or not they are in this chart: a widget shows an expander, then calls `orgChart(root: <id>)`.',
  })
  hasChildren: boolean;

  @Field(() => OrgUnit, { description: 'The unit.' })
  unit: OrgUnit;
}
