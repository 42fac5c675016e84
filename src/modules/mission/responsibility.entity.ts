import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Node } from '../node/node.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { Mission } from './mission.entity';

/**
 * A concrete duty, domain or plan. It belongs to a mission, or directly to a unit or a post;
 * its owner columns are always set (from the mission when it has one).
 */
@Entity('responsibility')
@Index(['position', 'title', 'uuid'])
@ObjectType({
  implements: Node,
  description:
    'A concrete duty, domain of activity or plan, e.g. the ORSEC plan. It belongs to a mission, or directly to a unit or a post.',
})
export class Responsibility extends Node {
  @Field({ description: 'Stable, unique, human-readable key.' })
  @Column({ type: 'varchar', length: 120, unique: true })
  slug: string;

  @Field({ description: 'Short statement of the responsibility.' })
  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Field(() => String, { nullable: true, description: 'Longer statement, as the source words it.' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Reference of a plan or text, e.g. ORSEC, PPI, PDASR.',
  })
  @Index()
  @Column({ type: 'varchar', length: 80, nullable: true })
  reference: string | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  missionId: string | null;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => Mission, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'missionId' })
  missionRef?: Mission;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  ownerUnitId: string | null;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ownerUnitId' })
  ownerUnitRef?: OrgUnit;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  ownerPostId: string | null;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => Post, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ownerPostId' })
  ownerPostRef?: Post;

  @Field({ description: 'Position among its siblings, ascending.' })
  @Column({ type: 'integer', default: 0 })
  position: number;
}
