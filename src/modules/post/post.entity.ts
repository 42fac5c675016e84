import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Node } from '../node/node.entity';
import { DateTimeISOResolver } from 'graphql-scalars';
import { TIMESTAMP } from '../../db/column-types';
import { OrgUnit } from '../org-unit/org-unit.entity';

/**
 * A position that exists independently of whoever holds it (W3C ORG `Post`). Holders come
 * through dated appointments.
 */
@Entity('post')
@Index(['title', 'uuid'])
// Note: the one-head rule as a constraint too, for writers that skip the service (see unique-rules.ts).
@Index('UQ_post_active_head', ['unitId'], {
  unique: true,
  where: '"isHead" = true AND "archivedAt" IS NULL',
})
@ObjectType({
  implements: Node,
  description:
    'A position in a unit (e.g. "Directeur de cabinet du préfet"). It exists whether or not someone holds it; holders come through dated appointments.',
})
export class Post extends Node {
  @Field({ description: 'Stable, unique, human-readable key.' })
  @Column({ type: 'varchar', length: 120, unique: true })
  slug: string;

  @Field({ description: 'Title of the post.' })
  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Field(() => String, { nullable: true, description: 'Free-text description of the post.' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Uuid of the unit the post belongs to. */
  @Index()
  @Column({ type: 'uuid' })
  unitId: string;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unitId' })
  unitRef?: OrgUnit;

  @Field({ description: 'True when this post heads its unit.' })
  @Column({ type: 'boolean', default: false })
  isHead: boolean;

  /** Uuid of the post this one reports to. */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  reportsToId: string | null;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => Post, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reportsToId' })
  reportsToRef?: Post;

  @Field({ description: 'Position among the posts of its unit, ascending.' })
  @Column({ type: 'integer', default: 0 })
  position: number;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description:
      'When the post was archived (soft-deleted); null while it is active. Archived records stay readable by id but leave lists, charts and search.',
  })
  @Column({ type: TIMESTAMP, nullable: true })
  archivedAt: Date | null;
}
