import { v4 as uuidv4 } from 'uuid';
import { Person } from './person.entity';
import { Appointment } from './appointment.entity';
import { Post } from '../post/post.entity';
import { DomainError, ValidationCode } from '../node/domain-error';
import type { RecordWriter, WriteContext, WriteOutcome } from '../node/record-writer';
import { requireActive } from '../node/record-rules';
import { PERSON_SEARCH as SEARCH } from './person.record';
import {
  optionalDay,
  optionalText,
  requireFound,
  requireSlug,
  requireText,
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

/** The private contact details of a person, readable by AGENT and above only. */
export interface ContactInput {
  email?: string | null;
  phone?: string | null;
  office?: string | null;
}

/** What an editor gives to put someone in a post: an existing person or a new one. */
export interface NewAppointmentInput {
  postId: string;
  personId?: string | null;
  newPerson?: (Omit<PersonInput, 'uuid'> & ContactInput) | null;
  startDate: string;
  endDate?: string | null;
  note?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the given fields of a person; absent fields are left out of the result. */
function checkFields(input: Partial<Omit<PersonInput, 'uuid'>> & ContactInput): Partial<Person> {
  const out: Partial<Person> = {};
  if (input.slug !== undefined) out.slug = requireSlug(input.slug);
  if (input.givenName !== undefined)
    out.givenName = optionalText('givenName', input.givenName, 120);
  if (input.familyName !== undefined)
    out.familyName = requireText('familyName', input.familyName, 120);
  if (input.grade !== undefined) out.grade = optionalText('grade', input.grade, 120);
  if (input.email !== undefined) {
    out.email = optionalText('email', input.email, 200);
    if (out.email !== null && !EMAIL.test(out.email))
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['email'],
        'email must be an e-mail address, e.g. "prenom.nom@example.gouv.fr".',
      );
  }
  if (input.phone !== undefined) out.phone = optionalText('phone', input.phone, 40);
  if (input.office !== undefined) out.office = optionalText('office', input.office, 200);
  return out;
}

/** Runs `check`, reporting its failures under `prefix` (e.g. ["newPerson", "slug"]). */
async function nested<T>(prefix: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    if (e instanceof DomainError) throw new DomainError(e.code, [prefix, ...e.field], e.message);
    throw e;
  }
}

/** Writes people and their appointments, with the one-holder-at-a-time rule. */
export class PersonService {
  constructor(private readonly writer: RecordWriter) {}

  /** Creates the person with this slug, or updates them where they differ. */
  async upsert(
    tx: WriteContext,
    input: PersonInput,
  ): Promise<{ record: Person; outcome: WriteOutcome }> {
    const slug = requireSlug(input.slug);
    const data = {
      slug,
      givenName: optionalText('givenName', input.givenName, 120),
      familyName: requireText('familyName', input.familyName, 120),
      grade: optionalText('grade', input.grade, 120),
    };
    return this.writer.upsert(tx, Person, { uuid: input.uuid, slug }, data, SEARCH);
  }

  /** Creates a person, with their private contact details if given. */
  async create(tx: WriteContext, input: Omit<PersonInput, 'uuid'> & ContactInput) {
    const fields = checkFields(input);
    if (!fields.slug || !fields.familyName)
      throw new DomainError(ValidationCode.REQUIRED, ['slug'], 'slug and familyName are required.');
    return this.writer.create(tx, Person, fields, SEARCH);
  }

  /** Changes the given fields of a person, contact details included. */
  async update(
    tx: WriteContext,
    uuid: string,
    patch: Partial<Omit<PersonInput, 'uuid'>> & ContactInput,
    expectedVersion: number,
  ): Promise<Person> {
    const fields = checkFields(patch);
    return (await this.writer.update(tx, Person, uuid, fields, SEARCH, { expectedVersion })).record;
  }

  /**
   * An editor's appointment: from a required start date, of an existing person or of one created
   * in the same transaction, to an active post. Dates and overlaps are checked by `appoint`.
   */
  async startAppointment(tx: WriteContext, input: NewAppointmentInput): Promise<Appointment> {
    if (!!input.personId === !!input.newPerson) {
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['personId'],
        'Give exactly one of personId (an existing person) and newPerson (a new one).',
      );
    }
    await requireActive(tx, Post, input.postId, 'postId', 'post');
    if (!input.startDate)
      throw new DomainError(ValidationCode.REQUIRED, ['startDate'], 'startDate is required.');
    const personId = input.newPerson
      ? (await nested('newPerson', () => this.create(tx, input.newPerson!))).uuid
      : input.personId!;
    const { record } = await this.appoint(tx, { ...input, uuid: uuidv4(), personId });
    return record;
  }

  /** Ends an open appointment on `endDate`, which must not come before its start. */
  async endAppointment(
    tx: WriteContext,
    uuid: string,
    endDate: string,
    expectedVersion: number,
  ): Promise<Appointment> {
    const appointment = requireFound(
      'id',
      await tx.em.getRepository(Appointment).findOneBy({ uuid }),
      'appointment',
    );
    if (appointment.endDate)
      throw new DomainError(
        ValidationCode.INVALID_VALUE,
        ['id'],
        `The appointment already ended on ${appointment.endDate}.`,
      );
    const end = optionalDay('endDate', endDate);
    if (!end) throw new DomainError(ValidationCode.REQUIRED, ['endDate'], 'endDate is required.');
    if (appointment.startDate && end < appointment.startDate)
      throw new DomainError(
        ValidationCode.DATES_OUT_OF_ORDER,
        ['endDate'],
        `endDate comes before the start date ${appointment.startDate}.`,
      );
    const { record } = await this.writer.update(tx, Appointment, uuid, { endDate: end }, null, {
      expectedVersion,
    });
    return record;
  }

  /** Records an appointment (keyed by uuid); dates must be ordered and holders must not overlap. */
  async appoint(
    tx: WriteContext,
    input: AppointmentInput,
  ): Promise<{ record: Appointment; outcome: WriteOutcome }> {
    requireFound(
      'postId',
      await tx.em.getRepository(Post).findOneBy({ uuid: input.postId }),
      'post',
    );
    if (input.personId) {
      requireFound(
        'personId',
        await tx.em.getRepository(Person).findOneBy({ uuid: input.personId }),
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
    const others = await tx.em.getRepository(Appointment).findBy({ postId: input.postId });
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
    return this.writer.upsert(tx, Appointment, { uuid: input.uuid }, data, null);
  }
}
