import { oneNode } from '../node/json-ld';
import type { RecordTypeDescriptor } from '../node/record-types';
import { Source } from './source.entity';
import { sourceLoaders } from './source.loaders';

declare module '../node/record-types' {
  interface NodeTypes {
    Source: Source;
  }
}

/** Sources: copied first (every record may cite one), in every subtree feed, not searched. */
export const SOURCE_RECORD: RecordTypeDescriptor<Source> = {
  name: 'Source',
  entity: Source,
  table: 'source',
  copyOrder: 0,
  entityType: { value: 'SOURCE', description: 'Sources.' },
  load: (ctx, uuid) => sourceLoaders(ctx).source.load(uuid),
  jsonLd: oneNode((f) => ({
    '@type': ['prov:Entity', 'schema:WebPage'],
    name: f.title,
    publisher: f.publisher,
    url: f.url,
    dateModified: f.sourceDate,
    description: f.notes,
  })),
};
