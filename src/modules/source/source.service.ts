import { Source } from './source.entity';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import { optionalDay, optionalText, requireSlug, requireText } from '../node/validate';

/** What a caller gives to create or update a source. */
export interface SourceInput {
  uuid?: string;
  slug: string;
  title: string;
  publisher: string;
  url?: string | null;
  sourceDate?: string | null;
  notes?: string | null;
}

/** Writes sources. */
export class SourceService {
  constructor(private readonly writer: RecordWriter) {}

  /** Creates the source with this slug, or updates it where it differs. */
  async upsert(
    tx: WriteContext,
    input: SourceInput,
  ): Promise<{ record: Source; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const data = {
      slug,
      title: requireText('title', input.title, 300),
      publisher: requireText('publisher', input.publisher, 300),
      url: optionalText('url', input.url, 2000),
      sourceDate: optionalDay('sourceDate', input.sourceDate),
      notes: optionalText('notes', input.notes, 10_000),
    };
    // Note: a source does not cite itself, whatever the context says.
    return this.writer.upsert(
      { ...tx, sourceIds: [] },
      Source,
      { uuid: input.uuid, slug },
      data,
      null,
    );
  }
}
