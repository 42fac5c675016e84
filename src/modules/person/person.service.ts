import { Person } from './person.entity';
import { Appointment } from './appointment.entity';
import { Post } from '../post/post.entity';
import { DomainError } from '../../graphql/errors';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import {
  optionalDay,
  optionalText,
  requireFound,
  requireSlug,
  requireText,
  ValidationCode,
} from '../node/validate';

/** What a caller gives to create or update a person. */
export interface PersonInput {
  uuid?: string;
  slug: string;
  givenName?: string | null;
  familyName: string;
  grade?: string | null;
}

/** What a caller gives to record an appointment; a null person is an unnamed holder. */
export interface AppointmentInput {
  uuid: string;
  postId: string;
  personId: string | null;
  startDate?: string | null;
  endDate?: string | null;
  note?: string | null;
}

/** Writes people and their appointments, with the one-holder-at-a-time rule. */
export class PersonService {
  constructor(private readonly writer: RecordWriter) {}

  /** Creates the person with this slug, or updates them where they differ. */
  async upsert(
    ctx: WriteContext,
    input: PersonInput,
  ): Promise<{ record: Person; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const data = {
      slug,
      givenName: optionalText('givenName', input.givenName, 120),
      familyName: requireText('familyName', input.familyName, 120),
      grade: optionalText('grade', input.grade, 120),
    };
    return this.writer.upsert(ctx, Person, { uuid: input.uuid, slug }, data, (p) => ({
      title: p.displayName,
      body: p.grade ?? '',
    }));
  }

  /** Records an appointment (keyed by uuid); dates must be ordered and holders must not overlap. */
  async appoint(
    ctx: WriteContext,
    input: AppointmentInput,
  ): Promise<{ record: Appointment; outcome: WriteOutcome }> {
    requireFound(
      'postId',
      await ctx.em.getRepository(Post).findOneBy({ uuid: input.postId }),
      'post',
    );
    if (input.personId) {
      requireFound(
        'personId',
        await ctx.em.getRepository(Person).findOneBy({ uuid: input.personId }),
        'person',
      );
    }
    const data = {
      postId: input.postId,
      personId: input.personId,
      startDate: optionalDay('startDate', input.startDate),
      endDate: optionalDay('endDate', input.endDate),
      note: optionalText('note', input.note, 2000),
    };
    if (data.startDate && data.endDate && data.endDate < data.startDate) {
      throw new DomainError(
        ValidationCode.DATES_OUT_OF_ORDER,
        ['endDate'],
        'endDate comes before startDate.',
      );
    }
    const others = await ctx.em.getRepository(Appointment).findBy({ postId: input.postId });
    const overlap = others.find(
      (o) =>
        o.uuid !== input.uuid &&
        (o.startDate ?? '0000-01-01') <= (data.endDate ?? '9999-12-31') &&
        (data.startDate ?? '0000-01-01') <= (o.endDate ?? '9999-12-31'),
    );
    if (overlap) {
      throw new DomainError(
        ValidationCode.HOLDER_OVERLAP,
        ['startDate'],
        'The post already has a holder over part of this period.',
      );
    }
    return this.writer.upsert(ctx, Appointment, { uuid: input.uuid }, data, null);
  }
}
