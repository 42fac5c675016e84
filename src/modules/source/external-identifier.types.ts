import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'An identifier of the record in another system or register, by which other directories know it.',
})
export class ExternalId {
  @Field({
    description:
      'The system or register: `annuaire` (the id in the national Annuaire de l’administration), `itm` (its `itm_identifiant`), `siret`, `siren`.',
  })
  scheme: string;

  @Field({ description: 'The identifier in that system, as it writes it.' })
  value: string;
}
