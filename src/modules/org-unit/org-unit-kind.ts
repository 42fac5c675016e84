import { registerEnumType } from 'type-graphql';

/**
 * Kinds of organizational unit. Stored as text without a database constraint, so adding a kind
 * is a code change only, with no migration.
 */
export enum OrgUnitKind {
  PREFECTURE = 'PREFECTURE',
  SUBPREFECTURE = 'SUBPREFECTURE',
  CABINET = 'CABINET',
  DIRECTORATE = 'DIRECTORATE',
  SERVICE = 'SERVICE',
  BUREAU = 'BUREAU',
  OFFICE = 'OFFICE',
  COMMISSION = 'COMMISSION',
}

registerEnumType(OrgUnitKind, {
  name: 'OrgUnitKind',
  description:
    'The kind of an organizational unit. New kinds may be added over time: clients should tolerate unknown values.',
  valuesConfig: {
    PREFECTURE: { description: 'A prefecture: the State in a département.' },
    SUBPREFECTURE: {
      description: 'A sub-prefecture: the State in an arrondissement, under its prefecture.',
    },
    CABINET: { description: "A prefect's cabinet." },
    DIRECTORATE: { description: 'A directorate (direction).' },
    SERVICE: { description: 'A service, or a group of services.' },
    BUREAU: { description: 'A bureau, usually inside a service or directorate.' },
    OFFICE: { description: 'A public body or office (office, établissement), e.g. the ONACVG.' },
    COMMISSION: { description: 'A commission or committee.' },
  },
});
