import type { AppModule } from '../node/app-module';
import { Relation } from './relation.entity';
import { RelationMutations } from './relation.mutations';
import { RELATION_RECORD } from './relation.record';
import { RelationResolver } from './relation.resolver';
import { RelationService } from './relation.service';

declare module '../../graphql/context' {
  interface Services {
    relations: RelationService;
  }
}

/** Typed relations from a unit to a unit or a post. */
export const RELATION_MODULE: AppModule = {
  name: 'relation',
  entities: [Relation],
  resolvers: [RelationResolver, RelationMutations],
  recordTypes: [RELATION_RECORD],
  services: ({ writer }) => ({ relations: new RelationService(writer) }),
};
