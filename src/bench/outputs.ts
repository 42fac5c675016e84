import fs from 'node:fs';
import path from 'node:path';
import { BenchReport, markdownSection, svgChart } from './report';
import { evaluateTargets, targetsMarkdown } from './targets';

const INTRO = `# Benchmarks

Numbers in this file are written by the harness, \`npm run bench\`, from a real run; each section
says on which dataset, database and machine. Rerunning replaces a section.

\`\`\`sh
npm run bench -- --dataset national --database sqlite --duration 10 --connections 10
npm run bench -- --dataset national --database postgres --duration 5 --connections 10   # DATABASE_URL=postgres://…
\`\`\`

The harness starts the gateway (\`NODE_ENV=production\`, SQL counting on, rate limit raised out
of the way) in a child process, and the two baselines in another:

- **B0**: raw \`node:http\` answering each request with the exact bytes of the gateway's answer,
  precomputed: the physical limit of HTTP and JSON on this machine.
- **B1**: raw \`better-sqlite3\` (or \`pg\`) prepared statements computing the same answer, then
  \`JSON.stringify\`: the limit of the data path.

Before measuring, it checks that the gateway's \`data\` is B1's byte for byte for every variant.
While measuring, autocannon checks **every** response of all three: status 200, no \`errors\`,
the exact expected \`data\` and number of items. A query with a failed check is reported as
failed, never as fast. Variables rotate (units, prefectures, pages, searches, feed positions) so
that a cache cannot serve every request; Q6 repeats Q2's first chart, the path the server's caches
will serve.

| Query | What |
| --- | --- |
| Q0 | \`{ __typename }\` |
| Q1 | a unit card by slug: parent, head post, its holder, missions and their responsibilities |
| Q2 | \`orgChart\` of one prefecture to depth 3, with each unit's head and holder |
| Q3 | a \`units\` page of 50 with parent and head, pages spread over the whole list |
| Q4 | \`search\` of a two-word accent-free query, first 20 results |
| Q5 | a \`changes\` page of 500 with changed fields and the current node |
| Q6 | Q2 repeated identically: the cached path, served by a gateway with the server's caches on |

"× B0" and "× B1" are the gateway's requests/s divided by the baseline's for the same query.
"SQL/req" is counted by a gateway of its own, started with \`EXPOSE_SQL_COUNT=true\` and its caches off,
one request per variant, before any load (\`x-sql-statements\`; "n/a" for Q6, whose hits take none):
the measured gateways run as production does, without the per-request tally, whose
AsyncLocalStorage puts a hook on every promise. Peak RSS is the gateway process's, sampled every
20 ms while it served the query.
`;

const markers = (name: string) => [`<!-- bench:${name}:start -->`, `<!-- bench:${name}:end -->`];

/** Replaces the marked section `name` of a document, or appends it. */
export function replaceSection(doc: string, name: string, body: string): string {
  const [start, end] = markers(name);
  const block = `${start}\n${body}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) return doc.slice(0, i) + block + doc.slice(j + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

/** Formats Markdown as the repository's Prettier would, when Prettier is installed. */
export async function formatMarkdown(doc: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(doc, { ...options, parser: 'markdown' });
  } catch {
    return doc;
  }
}

/**
 * Writes `bench/results/<dataset>-<database>.json`, the SVG chart, and the run's section and
 * the targets (from every saved result) into `docs/benchmarks.md`.
 */
export async function writeOutputs(
  report: BenchReport,
  dirs: { resultsDir: string; docsDir: string },
): Promise<{ json: string; svg: string; markdown: string }> {
  const name = `${report.dataset}-${report.database}`;
  fs.mkdirSync(dirs.resultsDir, { recursive: true });
  fs.mkdirSync(dirs.docsDir, { recursive: true });
  const json = path.join(dirs.resultsDir, `${name}.json`);
  fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  const svgName = `benchmarks-${name}.svg`;
  const svg = path.join(dirs.docsDir, svgName);
  fs.writeFileSync(svg, svgChart(report));
  const markdown = path.join(dirs.docsDir, 'benchmarks.md');
  let doc = fs.existsSync(markdown) ? fs.readFileSync(markdown, 'utf8') : INTRO;
  const saved: Record<string, BenchReport> = {};
  for (const f of fs.readdirSync(dirs.resultsDir)) {
    if (f.endsWith('.json'))
      saved[f.replace(/\.json$/, '')] = JSON.parse(
        fs.readFileSync(path.join(dirs.resultsDir, f), 'utf8'),
      );
  }
  doc = replaceSection(
    doc,
    'targets',
    `## Targets\n\nFrom the latest saved results (bench/results/).\n\n${targetsMarkdown(evaluateTargets(saved))}`,
  );
  doc = replaceSection(doc, name, markdownSection(report, svgName));
  fs.writeFileSync(markdown, await formatMarkdown(doc, markdown));
  return { json, svg, markdown };
}
