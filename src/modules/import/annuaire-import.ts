import fs from 'node:fs';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import type { Services } from '../../graphql/context';
import type { SourceInput } from '../source/source.service';
import { DomainError } from '../node/domain-error';
import { refreshStatistics } from '../../db/postgres-admin';
import { writeTransaction } from '../../db/write-transaction';
import { AnnuaireRecord, readServices } from './annuaire-record';
import { planHierarchy } from './annuaire-plan';
import { AnnuaireWriter } from './annuaire-writer';
import { boundedSlug, importUuid } from './annuaire-values';
import { slugify } from '../node/slug';
import {
  addSummary,
  emptySummary,
  ImportAbortedError,
  ImportFileError,
  ImportProblem,
  ImportResult,
  RecordLog,
} from './import-report';

/** What to do with a malformed or rejected record: stop with nothing written, or leave it out. */
export type OnError = 'abort' | 'skip';

/** How far an import has come: `services` (units and what they hold), then `relations`. */
export interface ImportProgress {
  phase: 'services' | 'relations';
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Default `abort`. */
  onError?: OnError;
  /** Runs the whole import in a transaction that is rolled back: the result says what it would do. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

const PUBLISHER = "Annuaire de l'administration";

/** Thrown inside the transaction of a dry run to roll it back. */
class DryRun extends Error {}

/** Reads and imports a file in the national export format; see `importAnnuaire`. */
export async function importAnnuaireFile(
  db: DataSource,
  services: Services,
  file: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const name = path.basename(file);
  let text: string;
  let json: unknown;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ImportFileError(name, `cannot be read: ${(e as Error).message}`);
  }
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ImportFileError(name, `is not JSON: ${(e as Error).message}`);
  }
  return importAnnuaire(db, services, name, json, options);
}

/**
 * Imports the parsed content of a national export, `{"service": [...]}`, through the services,
 * in one transaction with the actor `import:<name>`, every record citing a Source for the file.
 * Records are keyed by their national id, so a second import of the same file changes nothing.
 * A malformed record (or one a service rejects) aborts the import with nothing written, or
 * with `onError: 'skip'` is left out while the others are imported.
 */
export async function importAnnuaire(
  db: DataSource,
  services: Services,
  name: string,
  json: unknown,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const onError = options.onError ?? 'abort';
  const read = readServices(json);
  if (!read) throw new ImportFileError(name, 'expected a JSON object {"service": [...]}');
  const { records, problems } = read;
  if (onError === 'abort' && problems.some((p) => p.kind === 'malformed'))
    throw new ImportAbortedError(name, sortProblems(problems));
  const plan = planHierarchy(records, problems);
  const readable = new Set(records.map((r) => r.id));
  const leftOut = new Map(
    problems
      .filter((p) => p.kind === 'malformed' && p.id && !readable.has(p.id))
      .map((p) => [p.id!, p.index]),
  );
  const summary = emptySummary();
  const actor = `import:${name}`;
  const rejected = new Set<string>();

  const run = async (em: EntityManager) => {
    const source = await services.sources.upsert({ em, actor }, sourceOf(name, records));
    summary.Source[source.outcome] += 1;
    const ctx = { em, actor, sourceIds: [source.record.uuid] };
    const writer = new AnnuaireWriter(services, ctx, plan, leftOut);
    /** Runs the writes of one record; in skip mode, in a savepoint that a rejection rolls back. */
    const step = async (r: AnnuaireRecord, write: (log: RecordLog) => Promise<void>) => {
      if (rejected.has(r.id)) return;
      const log = new RecordLog(r);
      try {
        await (onError === 'skip' ? em.transaction(() => write(log)) : write(log));
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        const reason = `${e.field.length ? `${e.field.join('.')}: ` : ''}${e.message}`;
        const problem: ImportProblem = { index: r.index, id: r.id, kind: 'rejected', reason };
        if (onError === 'abort')
          throw new ImportAbortedError(name, sortProblems([...problems, problem]));
        problems.push(problem);
        rejected.add(r.id);
        leftOut.set(r.id, r.index);
        writer.forget(r.id);
        return;
      }
      addSummary(summary, log.summary);
      problems.push(...log.problems);
    };
    const progress = (phase: ImportProgress['phase'], done: number) =>
      options.onProgress?.({ phase, done, total: records.length });
    for (const [i, r] of plan.order.entries()) {
      await step(r, (log) => writer.writeService(r, log));
      progress('services', i + 1);
    }
    for (const [i, r] of records.entries()) {
      await step(r, (log) => writer.writeRelations(r, log));
      progress('relations', i + 1);
    }
    if (options.dryRun) throw new DryRun();
  };

  try {
    await writeTransaction(db, run, { timeoutMs: null });
    await refreshStatistics(db);
  } catch (e) {
    if (!(e instanceof DryRun)) throw e;
  }
  return {
    file: name,
    dryRun: options.dryRun ?? false,
    records: read.total,
    imported: records.length - rejected.size,
    skipped: read.total - records.length + rejected.size,
    summary,
    problems: sortProblems(problems),
  };
}

/** The Source every imported record cites: one per file name, dated by its newest change. */
function sourceOf(name: string, records: AnnuaireRecord[]): SourceInput {
  const base = slugify(name.replace(/\.[^.]*$/, '')) || 'fichier';
  const slug = boundedSlug(['annuaire-import', base], name);
  const newest = records
    .map((r) => r.modified)
    .filter((m) => m !== null)
    .sort((a, b) => a.at.localeCompare(b.at))
    .pop();
  return {
    uuid: importUuid('Source', slug),
    slug,
    title: PUBLISHER,
    publisher: PUBLISHER,
    sourceDate: newest?.day ?? null,
    notes: `Imported from the file ${name} in the national export format.`,
  };
}

function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => a.index - b.index);
}
