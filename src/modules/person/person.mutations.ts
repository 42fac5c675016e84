import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Context } from '../../graphql/context';
import { inputUuid, optionalInputUuid, Payload, PayloadType, runMutation } from '../node/mutation';
import { Role } from '../../graphql/role';
import { Person } from './person.entity';
import { Appointment } from './appointment.entity';
import {
  AppointInput,
  CreatePersonInput,
  EndAppointmentInput,
  UpdatePersonInput,
} from './person.inputs';

const CreatePersonPayload = PayloadType('CreatePerson', 'person', Person);
const UpdatePersonPayload = PayloadType('UpdatePerson', 'person', Person);
const AppointPayload = PayloadType('Appoint', 'appointment', Appointment);
const EndAppointmentPayload = PayloadType('EndAppointment', 'appointment', Appointment);

/** Writes of people and appointments, for editors. Each runs in one transaction and is logged. */
@Resolver()
export class PersonMutations {
  @Authorized(Role.EDITOR)
  @Mutation(() => CreatePersonPayload, {
    description: 'Creates a person, with their private contact details if given.',
  })
  createPerson(
    @Arg('input', { description: 'The new person.' }) input: CreatePersonInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Person>> {
    return runMutation(ctx, (tx) => ctx.services.people.create(tx, { ...input }));
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => UpdatePersonPayload, {
    description: 'Changes the names, grade or private contact details of a person.',
  })
  updatePerson(
    @Arg('input', { description: 'The changes.' }) input: UpdatePersonInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Person>> {
    const { id, expectedVersion, ...patch } = input;
    return runMutation(ctx, (tx) =>
      ctx.services.people.update(tx, inputUuid(id, 'Person', 'id'), patch, expectedVersion),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => AppointPayload, {
    description:
      'Puts an existing or a new person in an active post from a date. A post has at most one holder at a time.',
  })
  appoint(
    @Arg('input', { description: 'Who, where, from when.' }) input: AppointInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Appointment>> {
    return runMutation(ctx, (tx) =>
      ctx.services.people.startAppointment(tx, {
        ...input,
        postId: inputUuid(input.postId, 'Post', 'postId'),
        personId: optionalInputUuid(input.personId, 'Person', 'personId'),
        newPerson: input.newPerson ? { ...input.newPerson } : null,
      }),
    );
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => EndAppointmentPayload, {
    description: 'Ends an open appointment: the end date is the holder’s last day in the post.',
  })
  endAppointment(
    @Arg('input', { description: 'Which appointment, and when it ends.' })
    input: EndAppointmentInput,
    @Ctx() ctx: Context,
  ): Promise<Payload<Appointment>> {
    return runMutation(ctx, (tx) =>
      ctx.services.people.endAppointment(
        tx,
        inputUuid(input.id, 'Appointment', 'id'),
        input.endDate,
        input.expectedVersion,
      ),
    );
  }
}
