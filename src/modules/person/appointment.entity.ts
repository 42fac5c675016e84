import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { LocalDateResolver } from 'graphql-scalars';
import { Node } from '../node/node.entity';
import { Post } from '../post/post.entity';
import { Person } from './person.entity';

/**
 * A dated holding of a post (W3C ORG `Membership` with `memberDuring`). A null person means the
 * post is held by someone the directory does not name; null dates mean unknown dates.
 */
@Entity('appointment')
// Note: two open-ended holdings of one post always overlap; see unique-rules.ts.
@Index('UQ_appointment_open', ['postId'], { unique: true, where: '"endDate" IS NULL' })
@ObjectType({
  implements: Node,
  description:
    'A person holding a post over a period. `person` is null when the post is known to be held by someone the directory does not name.',
})
export class Appointment extends Node {
  @Index()
  @Column({ type: 'uuid' })
  postId: string;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => Post, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'postId' })
  postRef?: Post;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  personId: string | null;

  /** Foreign key only: never loaded, reads go through loaders. */
  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'personId' })
  personRef?: Person;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'First day in the post; null when unknown.',
  })
  @Column({ type: 'varchar', length: 10, nullable: true })
  startDate: string | null;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'Last day in the post; null while it lasts or when unknown.',
  })
  @Column({ type: 'varchar', length: 10, nullable: true })
  endDate: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Free-text note, e.g. how the source words it.',
  })
  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** True when the appointment covers `day` (YYYY-MM-DD); unknown bounds are open. */
  covers(day: string): boolean {
    return (!this.startDate || this.startDate <= day) && (!this.endDate || day <= this.endDate);
  }
}
