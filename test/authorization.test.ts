import { getMetadataStorage } from 'type-graphql';
import { buildAppSchema } from '../src/app/schema';
import { Role } from '../src/graphql/role';

/**
 * Deny by default: every mutation, and every private field, carries an explicit role
 * requirement; a new mutation without one fails here before it can ship open to the public.
 */
describe('authorization metadata', () => {
  beforeAll(() => buildAppSchema());

  const required = (target: Function, field: string) =>
    getMetadataStorage().authorizedFields.find((a) => a.target === target && a.fieldName === field)
      ?.roles;

  it('requires EDITOR (or ADMIN) on every mutation', () => {
    const mutations = getMetadataStorage().mutations;
    expect(mutations.length).toBeGreaterThanOrEqual(20);
    const open = mutations
      .filter((m) => {
        const roles = required(m.target, m.methodName);
        return !roles || !roles.some((r) => r === Role.EDITOR || r === Role.ADMIN);
      })
      .map((m) => m.schemaName);
    expect(open).toEqual([]);
  });

  it('requires AGENT on the contact fields of people', async () => {
    const { Person } = await import('../src/modules/person/person.entity');
    for (const field of ['email', 'phone', 'office'])
      expect(required(Person, field)).toEqual([Role.AGENT]);
  });
});
