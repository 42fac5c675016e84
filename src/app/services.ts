import type { Dialect } from '../config';
import type { Services } from '../graphql/context';
import { RecordWriter } from '../modules/node/record-writer';
import { SearchStore } from '../modules/search/search.store';
import { citationLedger } from '../modules/source/citation-ledger';
import { appendChange } from '../modules/changelog/append';
import { MODULES } from './modules';

/**
 * The services, built once at start-up and shared by the server, the CLI and seeding: the
 * search index and the record writer (which feeds the index, the citations and the change log
 * on every write), then each module's own services.
 */
export function createServices(dialect: Dialect): Services {
  const search = new SearchStore(dialect);
  const writer = new RecordWriter({ search, citations: citationLedger, logChange: appendChange });
  const services: Partial<Services> = { search, writer };
  for (const m of MODULES) Object.assign(services, m.services?.({ writer, search }));
  return services as Services;
}
