import { registerEnumType } from 'type-graphql';

/** The record types of the directory, as the change feed and exports name them. */
export enum EntityType {
  ORG_UNIT = 'OrgUnit',
  POST = 'Post',
  PERSON = 'Person',
  APPOINTMENT = 'Appointment',
  MISSION = 'Mission',
  RESPONSIBILITY = 'Responsibility',
  RELATION = 'Relation',
  SOURCE = 'Source',
}

registerEnumType(EntityType, {
  name: 'EntityType',
  description: 'A record type of the directory.',
  valuesConfig: {
    ORG_UNIT: { description: 'Organizational units.' },
    POST: { description: 'Posts.' },
    PERSON: { description: 'People.' },
    APPOINTMENT: { description: 'Appointments of people to posts.' },
    MISSION: { description: 'Missions.' },
    RESPONSIBILITY: { description: 'Responsibilities.' },
    RELATION: { description: 'Relations between units, or from a unit to a post.' },
    SOURCE: { description: 'Sources.' },
  },
});
