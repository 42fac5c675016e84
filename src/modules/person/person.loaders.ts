import { DataSource } from 'typeorm';
import { byUuid, groupedBy, loaderGroup } from '../../graphql/loader-utils';
import { Person } from './person.entity';
import { Appointment } from './appointment.entity';

/** Per-request loaders of people and appointments. */
export function createPersonLoaders(db: DataSource) {
  return {
    person: byUuid(db, Person),
    appointment: byUuid(db, Appointment),
    appointmentsByPost: groupedBy(db, Appointment, 'postId', { startDate: 'DESC', uuid: 'ASC' }),
    appointmentsByPerson: groupedBy(db, Appointment, 'personId', {
      startDate: 'DESC',
      uuid: 'ASC',
    }),
  };
}

/** The request's Person loaders, built on first use in the request. */
export const personLoaders = loaderGroup('person', createPersonLoaders);
