import type { AppModule } from '../node/app-module';
import { Appointment } from './appointment.entity';
import { Person } from './person.entity';
import { PersonMutations } from './person.mutations';
import { APPOINTMENT_RECORD, PERSON_RECORD } from './person.record';
import { AppointmentResolver, PersonResolver } from './person.resolver';
import { PersonService } from './person.service';

declare module '../../graphql/context' {
  interface Services {
    people: PersonService;
  }
}

/** People and their appointments to posts. */
export const PERSON_MODULE: AppModule = {
  name: 'person',
  entities: [Person, Appointment],
  resolvers: [PersonResolver, AppointmentResolver, PersonMutations],
  recordTypes: [PERSON_RECORD, APPOINTMENT_RECORD],
  services: ({ writer }) => ({ people: new PersonService(writer) }),
};
