import type { AppModule } from '../node/app-module';
import { Citation } from './citation.entity';
import { ExternalIdentifier } from './external-identifier.entity';
import { Source } from './source.entity';
import { SOURCE_RECORD } from './source.record';
import { SourceService } from './source.service';

declare module '../../graphql/context' {
  interface Services {
    sources: SourceService;
  }
}

/** Sources, the citations of every record, and units' identifiers in other systems. */
export const SOURCE_MODULE: AppModule = {
  name: 'source',
  entities: [Source, Citation, ExternalIdentifier],
  // Note: no resolver returns a Source directly: records reach them through `sources`.
  orphanedTypes: [Source],
  recordTypes: [SOURCE_RECORD],
  services: ({ writer }) => ({ sources: new SourceService(writer) }),
};
