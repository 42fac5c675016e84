import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Node } from '../node/node.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { RelationType } from './relation-type';

/** A typed link from a unit to another unit or to a post. Exactly one target column is set. */
@Entity('relation')
@ObjectType({
  implements: Node,
  description: 'A typed, non-hierarchical link from a unit to another unit or to a post.',
})
export class Relation extends Node {
  @Field({ description: 'Stable, unique, human-readable key.' })
  @Column({ type: 'varchar', length: 120, unique: true })
  slug: string;

  @Field(() => RelationType, { description: 'The type of link.' })
  @Column({ type: 'varchar', length: 40 })
  type: RelationType;

  @Index()
  @Column({ type: 'uuid' })
  fromUnitId: string;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'fromUnitId' })
  fromUnitRef?: OrgUnit;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  toUnitId: string | null;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'toUnitId' })
  toUnitRef?: OrgUnit;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  toPostId: string | null;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => Post, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'toPostId' })
  toPostRef?: Post;

  @Field(() => String, { nullable: true, description: 'The link as the source words it.' })
  @Column({ type: 'text', nullable: true })
  description: string | null;
}
