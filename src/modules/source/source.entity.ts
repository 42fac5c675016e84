import { Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { LocalDateResolver } from 'graphql-scalars';
import { Node } from '../node/node.entity';

/** A document the directory's facts come from (PROV `wasDerivedFrom`). */
@Entity('source')
@ObjectType({ implements: Node, description: "A document the directory's facts come from." })
export class Source extends Node {
  @Field({ description: 'Stable, unique, human-readable key.' })
  @Column({ type: 'varchar', length: 120, unique: true })
  slug: string;

  @Field({ description: 'Title of the document.' })
  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Field({ description: 'Who published it.' })
  @Column({ type: 'varchar', length: 300 })
  publisher: string;

  @Field(() => String, { nullable: true, description: 'Where it can be read, when known.' })
  @Column({ type: 'varchar', length: 2000, nullable: true })
  url: string | null;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'The date the document gives itself (e.g. "Mis à jour le 05/12/2022").',
  })
  @Column({ type: 'varchar', length: 10, nullable: true })
  sourceDate: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Notes on the source: discrepancies, how they were resolved.',
  })
  @Column({ type: 'text', nullable: true })
  notes: string | null;
}
