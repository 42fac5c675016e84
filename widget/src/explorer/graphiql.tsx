/**
 * GraphiQL at `/graphiql`, built from npm into the gateway's own files: the editor's workers,
 * styles and fonts come from the gateway, so it works on a network with no way out. The example
 * operations of schema/operations open as tabs (when the browser has no tabs of its own saved).
 */
import { createRoot } from 'react-dom/client';
import { buildSchema } from 'graphql';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import 'graphiql/style.css';
import examples from 'explorer:examples';

/** Monaco's workers, beside this script. */
const WORKERS: Record<string, string> = { json: 'json.worker.js', graphql: 'graphql.worker.js' };

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return new Worker(new URL(WORKERS[label] ?? 'editor.worker.js', import.meta.url), {
      name: label,
    });
  },
};

const origin = window.location.origin;

/** POSTs an operation as JSON, with the headers written in GraphiQL's headers editor. */
const fetcher: GraphiQLProps['fetcher'] = async (params, options) => {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...options?.headers,
    },
    body: JSON.stringify(params),
  });
  return res.json();
};

/**
 * The schema from `/schema.graphql`, which the gateway serves even where introspection is off
 * (production); null if it cannot be read, and GraphiQL then introspects.
 */
async function loadSchema() {
  try {
    const res = await fetch(`${origin}/schema.graphql`);
    return res.ok ? buildSchema(await res.text()) : null;
  } catch {
    return null;
  }
}

const schema = await loadSchema();
createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    fetcher={fetcher}
    schema={schema ?? undefined}
    defaultTabs={examples.map(({ query, variables }) => ({ query, variables }))}
  >
    <GraphiQL.Logo>Annuaire</GraphiQL.Logo>
  </GraphiQL>,
);
