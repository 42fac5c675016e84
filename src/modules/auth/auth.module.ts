import type { AppModule } from '../node/app-module';
import { ApiKey } from './api-key.entity';
import { MeResolver } from './me.resolver';

/** API keys, OpenID Connect tokens, and `me`. */
export const AUTH_MODULE: AppModule = {
  name: 'auth',
  entities: [ApiKey],
  resolvers: [MeResolver],
};
