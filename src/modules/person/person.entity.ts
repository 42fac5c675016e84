import { Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { Node } from '../node/node.entity';

/**
 * A person who holds or held posts. Contact columns exist in the table but are not exposed:
 * they wait for access control.
 */
@Entity('person')
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

  @Field({ description: 'Name for display: given name then family name.' })
  get displayName(): string {
    return [this.givenName, this.familyName].filter(Boolean).join(' ');
  }

  /** Professional e-mail. Private: not exposed until access control exists. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  email: string | null;

  /** Professional phone. Private. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  /** Office or address. Private. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  office: string | null;
}
