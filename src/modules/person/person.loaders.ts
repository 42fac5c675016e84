import { byUuid, groupedBy, loaderGroup, type LoaderSource } from '../../graphql/loader-utils';
import { Person } from './person.entity';
import { Appointment } from './appointment.entity';

/** Per-request loaders of people and appointments. */
export function createPersonLoaders(source: LoaderSource) {
  return {
    person: byUuid(source, Person),
    appointment: byUuid(source, Appointment),
    appointmentsByPost: groupedBy(
      source,
      Appointment,
      'postId',
      { startDate: 'DESC', uuid: 'ASC' },
      // Tagged by the caller with the post's unit (see `tagPostGroup`).
      'caller',
    ),
    /**
     * The appointments of each post that cover the request's day, in the history's order: what
     * `holder` and `holderStatus` read without a date, without the rest of the history (a
     * chart's heads: 71 rows against 150).
     */
    appointmentsByPostToday: groupedBy(
      source,
      Appointment,
      'postId',
      { startDate: 'DESC', uuid: 'ASC' },
      // Tagged by the caller with the post's unit (see `tagPostGroup`).
      'caller',
      { covering: { from: 'startDate', to: 'endDate', day: source.today } },
    ),
    appointmentsByPerson: groupedBy(
      source,
      Appointment,
      'personId',
      { startDate: 'DESC', uuid: 'ASC' },
      'type',
    ),
  };
}

/** The request's Person loaders, built on first use in the request. */
export const personLoaders = loaderGroup('person', createPersonLoaders);
