import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Node } from '../node/node.entity';
import { DateTimeISOResolver } from 'graphql-scalars';
import { TIMESTAMP } from '../../db/column-types';

import { OrgUnitKind } from './org-unit-kind';

/**
 * A unit of the organization tree (W3C ORG `OrganizationalUnit`). The parent link is the source
 * of truth for the hierarchy; ancestors and descendants come from recursive SQL.
 */
@Entity('org_unit')
@Index(['position', 'name', 'uuid'])
// Note: the default listing (active units only) walks this one; without it every skipped row of
// an OFFSET was read from the table to test `archivedAt` (see docs/benchmarks.md, Q3).
@Index('IDX_org_unit_active_order', ['position', 'name', 'uuid'], { where: '"archivedAt" IS NULL' })
@Index(['parentId', 'position'])
@ObjectType({
  implements: Node,
  description:
    'A unit of the organization: prefecture, cabinet, directorate, service, bureau… Units form a tree through `parent`.',
})
export class OrgUnit extends Node {
  @Field({ description: 'Stable, unique, human-readable key, e.g. `cabinet-du-prefet-77`.' })
  @Column({ type: 'varchar', length: 120, unique: true })
  slug: string;

  @Field({ description: 'Official name of the unit.' })
  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Field(() => String, { nullable: true, description: 'Acronym (sigle), when the unit has one.' })
  @Column({ type: 'varchar', length: 40, nullable: true })
  acronym: string | null;

  @Field(() => OrgUnitKind, { description: 'What kind of unit this is.' })
  @Index()
  @Column({ type: 'varchar', length: 40 })
  kind: OrgUnitKind;

  @Field(() => String, { nullable: true, description: 'Free-text description of the unit.' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Uuid of the parent unit; null for a root. */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parentId' })
  parentRef?: OrgUnit;

  @Field({ description: 'Position among its siblings, ascending.' })
  @Column({ type: 'integer', default: 0 })
  position: number;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description:
      'When the unit was archived (soft-deleted); null while it is active. Archived records stay readable by id but leave lists, charts and search.',
  })
  @Column({ type: TIMESTAMP, nullable: true })
  archivedAt: Date | null;
}
