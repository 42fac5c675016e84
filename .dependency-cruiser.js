/**
 * Import rules of the layers, checked by `npm run lint:deps` (part of `npm test`).
 *
 * Layers, from the bottom: src/config.ts, logger, secrets, metrics, tracing → src/db → src/graphql → src/http →
 * src/modules/node (the shared node layer) → the domain modules (src/modules/<name>) →
 * src/app (the composition root) → the entry points (src/main.ts, src/cli, src/seed, src/bench,
 * src/browser).
 * A file may import its own layer or a lower one. Tests may start from src/app.
 */

/** The kernel: what every module builds on, and which names no module. */
const KERNEL = '^src/(db|graphql|http)/|^src/modules/node/';
/** What sits above the domain modules. */
const ABOVE_MODULES = '^src/(app|cli|seed|bench|browser)/|^src/main\\.ts$';
/**
 * A module's public surface: what another module may import. By naming convention, its
 * descriptor (`*.module.ts`, for the composition root), record-type descriptor (`*.record.ts`),
 * entities, GraphQL types, loader accessors; and a few files named here, each a shared helper
 * the module owns and others need.
 */
const PUBLIC_SUFFIXES = '\\.(module|record|entity|types|loaders)\\.ts$';
const PUBLIC_FILES = [
  'changelog/append.ts', // appendChange, the change-log effect of the record writer
  'changelog/change-log.queries.ts', // history of a record, shared by the record resolvers and the feed
  'changelog/moved-subtree.ts', // the scope of a moved subtree
  'changelog/scope.ts', // how change-log scopes are computed and stored
  'changelog/references.ts', // the API form of references in change-log entries
  'org-unit/org-unit-kind.ts', // the OrgUnitKind enum
  'org-unit/org-unit.tree.ts', // subtree and ancestor queries
  'relation/relation-type.ts', // the RelationType enum
  'mission/mission.inputs.ts', // decoding a unit-or-post id in an input (owners, relation targets)
  'search/search-docs.ts', // refreshing a record's search document (mirrors)
  'search/search.store.ts', // the full-text index
  'search/text.ts', // the text folding shared with the import
  'source/citation-ledger.ts', // the citations effect of the record writer
  'source/external-identifiers.ts', // identifiers in other systems
  'source/source.service.ts', // SourceInput, what the import gives to create a source
  'sync/annuaire-format.ts', // the national directory's format, shared by the import and the export
  'source/sources.resolver.ts', // the shared `sources` field resolver base class
  'sync/change-feed.ts', // the feed's pages, cursors and filters, which webhook batches reuse
  'sync/entity-type.ts', // the EntityType enum
];
const PUBLIC = `${PUBLIC_SUFFIXES}|^src/modules/(${PUBLIC_FILES.map((f) => f.replace(/\./g, '\\.')).join('|')})$`;
const NOT_TESTS = '\\.test\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle in src, type-only imports included.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'kernel-depends-downward',
      severity: 'error',
      comment:
        'The kernel (src/db, src/graphql, src/http, src/modules/node) imports no domain module and nothing above them: modules register through their descriptors, which the composition root reads.',
      from: { path: KERNEL, pathNot: NOT_TESTS },
      to: { path: `^src/modules/(?!node/)|${ABOVE_MODULES}` },
    },
    {
      name: 'db-below-graphql',
      severity: 'error',
      comment: 'src/db is the lowest layer of the kernel.',
      from: { path: '^src/db/', pathNot: NOT_TESTS },
      to: { path: '^src/(graphql|http)/|^src/modules/node/' },
    },
    {
      name: 'graphql-below-http',
      severity: 'error',
      comment: 'src/graphql knows neither the HTTP layer that serves it nor the node layer.',
      from: { path: '^src/graphql/', pathNot: NOT_TESTS },
      to: { path: '^src/http/|^src/modules/node/' },
    },
    {
      name: 'http-below-node',
      severity: 'error',
      comment: 'src/http serves GraphQL and routes; it knows nothing of records.',
      from: { path: '^src/http/', pathNot: NOT_TESTS },
      to: { path: '^src/modules/node/' },
    },
    {
      name: 'modules-below-app',
      severity: 'error',
      comment: 'Domain modules do not import the composition root or the entry points.',
      from: { path: '^src/modules/', pathNot: NOT_TESTS },
      to: { path: ABOVE_MODULES },
    },
    {
      name: 'base-imports-nothing-above',
      severity: 'error',
      comment:
        'src/config.ts, src/logger.ts, src/secrets.ts, src/metrics.ts and src/tracing.ts import no other layer, but for the type of a role in the configuration.',
      from: { path: '^src/(config|logger|secrets|metrics|tracing)\\.ts$' },
      to: {
        path: '^src/(db|graphql|http|modules|app|cli|seed|bench|browser)/',
        pathNot: '^src/graphql/role\\.ts$',
      },
    },
    {
      name: 'module-public-surface',
      severity: 'error',
      comment:
        'A module imports another module only through its public surface (see PUBLIC_SUFFIXES and PUBLIC_FILES in .dependency-cruiser.js), never its internals.',
      from: { path: '^src/modules/([^/]+)/', pathNot: NOT_TESTS },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: [`^src/modules/($1|node)/`, PUBLIC],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^src/generated/' },
  },
};
