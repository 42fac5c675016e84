import { baseNode, compact, iri, oneNode } from '../node/json-ld';
import type { RecordTypeDescriptor } from '../node/record-types';
import type { SearchFields } from '../node/write-effects';
import { unitsOfPosts } from '../post/post.record';
import { Appointment } from './appointment.entity';
import { Person } from './person.entity';
import { personLoaders } from './person.loaders';

declare module '../node/record-types' {
  interface NodeTypes {
    Person: Person;
    Appointment: Appointment;
  }
}

/** Only public fields are indexed: contact details never reach search. */
export const PERSON_SEARCH = (p: Person): SearchFields => ({
  title: p.displayName,
  body: p.grade ?? '',
});

/** People, in the subtrees of the posts they are appointed to; contact details are private. */
export const PERSON_RECORD: RecordTypeDescriptor<Person> = {
  name: 'Person',
  entity: Person,
  table: 'person',
  copyOrder: 30,
  entityType: { value: 'PERSON', description: 'People.' },
  load: (ctx, uuid) => personLoaders(ctx).person.load(uuid),
  async anchor(em, s) {
    const appointments = await em.getRepository(Appointment).findBy({ personId: s.uuid as string });
    return unitsOfPosts(
      em,
      appointments.map((a) => a.postId),
    );
  },
  search: {
    description: 'People (name, grade).',
    document: (_em, person) => PERSON_SEARCH(person),
  },
  privateFields: ['email', 'phone', 'office'],
  jsonLd: oneNode((f) => ({
    '@type': ['foaf:Person', 'schema:Person'],
    givenName: f.givenName,
    familyName: f.familyName,
    name: [f.givenName, f.familyName].filter(Boolean).join(' '),
    jobTitle: f.grade,
  })),
};

/** Appointments of people (or of someone unnamed) to posts. */
export const APPOINTMENT_RECORD: RecordTypeDescriptor<Appointment> = {
  name: 'Appointment',
  entity: Appointment,
  table: 'appointment',
  copyOrder: 40,
  references: { postId: 'Post', personId: 'Person' },
  entityType: { value: 'APPOINTMENT', description: 'Appointments of people to posts.' },
  load: (ctx, uuid) => personLoaders(ctx).appointment.load(uuid),
  anchor: (em, s) => unitsOfPosts(em, [s.postId]),
  jsonLd: {
    nodes(r, today) {
      const f = r.fields as Record<string, string | null>;
      const membership = compact({
        ...baseNode(r),
        '@type': 'org:Membership',
        member: iri(f.personId),
        role: iri(f.postId),
        memberDuring: compact({
          '@type': 'schema:Event',
          startDate: f.startDate,
          endDate: f.endDate,
        }),
        description: f.note,
      });
      // Note: a current holder also appears as org:heldBy on the post, the ORG shortcut.
      const current = (!f.startDate || f.startDate <= today) && (!f.endDate || today <= f.endDate);
      return current && f.personId
        ? [{ '@id': iri(f.postId), heldBy: iri(f.personId) }, membership]
        : [membership];
    },
  },
};
