import type { AppModule } from './app-module';
import { NodeResolver } from './node.resolver';

/** Relay object identification: `node(id:)` and `nodes(ids:)` over every record type. */
export const NODE_MODULE: AppModule = {
  name: 'node',
  resolvers: [NodeResolver],
};
