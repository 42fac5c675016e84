import { Authorized, Field, ObjectType } from 'type-graphql';
import { Tagged } from '../../graphql/answer-tags';
import { Role } from '../../graphql/role';
import { Column, Entity, Index } from 'typeorm';
import { Node } from '../node/node.entity';

/**
 * A person who holds or held posts. Contact details are private: only AGENT and above read them.
 */
@Entity('person')
@Index(['familyName', 'givenName', 'uuid'])
@ObjectType({ implements: Node, description: 'A person who holds, or held, a post.' })
export class Person extends Node {
  @Field({ description: 'Stable, unique, human-readable key.' })
  @Column({ type: 'varchar', length: 120, unique: true })
  slug: string;

  @Field(() => String, { nullable: true, description: 'Given name (prénom).' })
  @Column({ type: 'varchar', length: 120, nullable: true })
  givenName: string | null;

  @Field({ description: 'Family name (nom).' })
  @Column({ type: 'varchar', length: 120 })
  familyName: string;

  @Field(() => String, { nullable: true, description: 'Grade or rank, e.g. "sous-préfet".' })
  @Column({ type: 'varchar', length: 120, nullable: true })
  grade: string | null;

  // Note: computed from the record's own columns: it reads nothing.
  @Tagged()
  @Field({ description: 'Name for display: given name then family name.' })
  get displayName(): string {
    return [this.givenName, this.familyName].filter(Boolean).join(' ');
  }

  @Authorized(Role.AGENT)
  @Field(() => String, {
    nullable: true,
    description:
      'Professional e-mail. Private: AGENT and above; others get null and a FORBIDDEN error.',
  })
  @Column({ type: 'varchar', length: 200, nullable: true })
  email: string | null;

  @Authorized(Role.AGENT)
  @Field(() => String, {
    nullable: true,
    description:
      'Professional phone. Private: AGENT and above; others get null and a FORBIDDEN error.',
  })
  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  @Authorized(Role.AGENT)
  @Field(() => String, {
    nullable: true,
    description:
      'Office or postal address at work. Private: AGENT and above; others get null and a FORBIDDEN error.',
  })
  @Column({ type: 'varchar', length: 200, nullable: true })
  office: string | null;
}
