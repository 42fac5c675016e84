import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Node } from '../node/node.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';

/**
 * A purpose statement of a unit or a post (W3C ORG `purpose`), possibly carried out by another
 * unit. Exactly one of `ownerUnitId` and `ownerPostId` is set.
 */
@Entity('mission')
@Index(['position', 'title', 'uuid'])
@ObjectType({
  implements: Node,
  description:
    'A mission of a unit or of a post. It may be carried out by another unit, e.g. a mission of the cabinet carried out by its Direction des sécurités.',
})
export class Mission extends Node {
  @Field({ description: 'Stable, unique, human-readable key.' })
  @Column({ type: 'varchar', length: 120, unique: true })
  slug: string;

  @Field({ description: 'Short statement of the mission.' })
  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Field(() => String, { nullable: true, description: 'Longer statement, as the source words it.' })
  @Column({ type: 'text', nullable: true })
  description: string | null;

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

  @Index()
  @Column({ type: 'uuid', nullable: true })
  carriedOutById: string | null;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'carriedOutById' })
  carriedOutByRef?: OrgUnit;

  @Field({ description: 'Position among the missions of its owner, ascending.' })
  @Column({ type: 'integer', default: 0 })
  position: number;
}
