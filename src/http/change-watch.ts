import type { DataSource } from 'typeorm';
import { tagsOfChange } from '../graphql/answer-tags';

/** Most tags whose last change one process remembers; older ones are forgotten conservatively. */
const MAX_TAGS = 200_000;

/**
 * The `change_log_meta` row counting the times the whole log was replaced (a mirror taking a new
 * snapshot): what was read of the old log then says nothing of the new one.
 */
export const LOG_REPLACEMENTS = 'logReplacements';

/** The head of the change log, as one probe reads it. */
export interface Head {
  /** The latest sequence, or the compaction point once everything before was compacted away. */
  head: number;
  /** `compactedThrough`: entries up to it are gone from the log. */
  compacted: number;
  /** How many times the log was replaced (`LOG_REPLACEMENTS`). */
  replaced: number;
}

/** Reads the head and the compaction point: one statement, on primary keys. */
export async function readHead(db: DataSource): Promise<Head> {
  const rows: Array<Record<'head' | 'compacted' | 'replaced', number | string | null>> =
    await db.query(
      `SELECT (SELECT MAX(sequence) FROM change_log) AS head,
        (SELECT value FROM change_log_meta WHERE name = 'compactedThrough') AS compacted,
        (SELECT value FROM change_log_meta WHERE name = '${LOG_REPLACEMENTS}') AS replaced`,
    );
  const compacted = Number(rows[0]?.compacted ?? 0);
  const replaced = Number(rows[0]?.replaced ?? 0);
  return { head: Math.max(Number(rows[0]?.head ?? 0), compacted), compacted, replaced };
}

/**
 * What each process knows of the writes committed since it started, read from the change log,
 * the one source of truth every instance shares through the database: for each tag (see
 * `tagsOfChange`), the sequence of the last entry that touched it. An answer kept at head `h`
 * with tags `T` (by this process or, through Redis, by another) is still right at the current
 * head when no entry after `h` touched a tag of `T`.
 *
 * Each lookup reads the head (it did before); when it moved, the entries since the last head
 * seen are read, once, by whichever request gets there first. Nothing is pushed between
 * instances, so nothing is lost when one misses a message. What cannot be known is a miss: an
 * answer kept before this process started (`floor`), entries compacted away before they were
 * read, a log replaced by a mirror's new snapshot, a head that went back, tags forgotten past
 * `MAX_TAGS` (they count as touched at the newest forgotten entry).
 */
export class ChangeWatch {
  private seen: number | null = null;
  private replaced = 0;
  private floor = 0;
  private forgotten = 0;
  private readonly touched = new Map<string, number>();
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: DataSource,
    private readonly maxTags = MAX_TAGS,
  ) {}

  /** Reads the head, and the entries up to it that this process has not read yet. */
  async probe(): Promise<number> {
    const head = await readHead(this.db);
    await this.advance(head);
    return head.head;
  }

  /** Applies the entries up to `head` (the caller has read it), once. */
  advance(head: Head): Promise<void> {
    // Note: a head that went back (a mirror's new snapshot replaces the log) is no "nothing
    // new": `read` starts over.
    if (
      this.seen !== null &&
      head.head === this.seen &&
      head.compacted <= this.seen &&
      head.replaced === this.replaced
    )
      return Promise.resolve();
    this.reading = this.reading.then(() => this.read(head)).catch(() => this.forget(head.head));
    return this.reading;
  }

  /** True when an answer kept at `head` with `tags` is still what a fresh execution would give. */
  valid(head: number, tags: readonly string[]): boolean {
    if (this.seen === null || head < this.floor || head > this.seen) return false;
    for (const tag of tags) if ((this.touched.get(tag) ?? this.forgotten) > head) return false;
    return true;
  }

  private async read({ head, compacted, replaced }: Head): Promise<void> {
    const from = this.seen;
    if (from === null || head < from || replaced !== this.replaced) {
      this.replaced = replaced;
      return this.forget(head);
    }
    if (head === from && compacted <= from) return;
    // Note: the compaction point comes in the same statement (one snapshot) as the entries: when
    // compaction removed some after `from`, what they touched is lost.
    const rows: Array<{
      sequence: number | string;
      entityType: string | null;
      entityId: string;
      scope: string | null;
    }> = await this.db.query(
      `SELECT sequence, "entityType", "entityId", scope FROM change_log
        WHERE sequence > ${Number(from)} AND sequence <= ${Number(head)}
       UNION ALL SELECT value, NULL, NULL, NULL FROM change_log_meta
        WHERE name = 'compactedThrough'`,
    );
    const lost = rows.some((r) => r.entityType === null && Number(r.sequence) > from);
    if (lost || compacted > from) return this.forget(head);
    for (const row of rows) {
      if (row.entityType === null) continue;
      const sequence = Number(row.sequence);
      for (const tag of tagsOfChange(row.entityType, row.entityId, row.scope ?? ''))
        this.touch(tag, sequence);
    }
    this.seen = Math.max(from, head);
  }

  private touch(tag: string, sequence: number): void {
    const last = this.touched.get(tag) ?? 0;
    this.touched.delete(tag);
    this.touched.set(tag, Math.max(last, sequence));
    if (this.touched.size <= this.maxTags) return;
    const [oldest, at] = this.touched.entries().next().value as [string, number];
    this.touched.delete(oldest);
    this.forgotten = Math.max(this.forgotten, at);
  }

  /** Starts over at `head`: every answer kept before it is a miss. */
  private forget(head: number): void {
    this.touched.clear();
    this.forgotten = 0;
    this.floor = head;
    this.seen = head;
  }
}
