import type { WriteOutcome } from '../node/record-writer';

/**
 * Something an import reports about one record of the file, by its index in the `service` list:
 * `malformed` (cannot be read), `rejected` (a write refused it), `missing-link` (a hierarchy link
 * to a record that is neither in the file nor in the directory) or `warning` (imported, with a
 * remark).
 */
export interface ImportProblem {
  index: number;
  /** The record's national id, when it has a readable one. */
  id?: string;
  kind: 'malformed' | 'rejected' | 'missing-link' | 'warning';
  reason: string;
  /** For `missing-link`: the id that names no record. */
  missingId?: string;
}

/** The record types an import writes, in the order it reports them. */
export const IMPORTED_TYPES = [
  'Source',
  'OrgUnit',
  'ExternalIdentifier',
  'Post',
  'Person',
  'Appointment',
  'Mission',
  'Relation',
] as const;
export type ImportedType = (typeof IMPORTED_TYPES)[number];

/** How many records of each type an import created, updated or left alone. */
export type ImportSummary = Record<ImportedType, Record<WriteOutcome, number>>;

/** A summary with every count at zero. */
export function emptySummary(): ImportSummary {
  return Object.fromEntries(
    IMPORTED_TYPES.map((t) => [t, { created: 0, updated: 0, unchanged: 0 }]),
  ) as ImportSummary;
}

/** Adds the counts of `more` to `summary`. */
export function addSummary(summary: ImportSummary, more: ImportSummary): void {
  for (const type of IMPORTED_TYPES) {
    for (const outcome of ['created', 'updated', 'unchanged'] as const)
      summary[type][outcome] += more[type][outcome];
  }
}

/** What an import did, or (on a dry run) would do. */
export interface ImportResult {
  /** The file's name, as the change log's actor gives it (`import:<file>`). */
  file: string;
  dryRun: boolean;
  /** Records in the file, records imported, and records left out (malformed or rejected). */
  records: number;
  imported: number;
  skipped: number;
  summary: ImportSummary;
  problems: ImportProblem[];
}

/** The file cannot be imported at all: unreadable, not JSON, or no `service` list. */
export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** The import stopped on a malformed or rejected record (on-error abort): nothing was written. */
export class ImportAbortedError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ImportProblem[],
  ) {
    const first = problems.find((p) => p.kind === 'malformed' || p.kind === 'rejected');
    super(
      `${file}: import aborted, nothing written: ${first ? `service[${first.index}]: ${first.reason}` : 'malformed records'}`,
    );
  }
}

/** One line of text for a problem, e.g. `service[3] (id …): missing-link: …`. */
export function formatProblem(p: ImportProblem): string {
  return `service[${p.index}]${p.id ? ` (${p.id})` : ''}: ${p.kind}: ${p.reason}`;
}

/** What the writes of one record did and reported, kept apart until they are sure to stay. */
export class RecordLog {
  readonly summary = emptySummary();
  readonly problems: ImportProblem[] = [];

  constructor(private readonly record: { index: number; id: string }) {}

  count(type: ImportedType, outcome: WriteOutcome): void {
    this.summary[type][outcome] += 1;
  }

  warn(reason: string): void {
    this.problems.push({ ...this.record, kind: 'warning', reason });
  }

  missing(missingId: string, reason: string): void {
    this.problems.push({ ...this.record, kind: 'missing-link', reason, missingId });
  }
}
