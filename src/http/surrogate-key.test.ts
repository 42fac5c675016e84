import { SURROGATE_KEY_MAX, surrogateKey } from './surrogate-key';

describe('surrogateKey', () => {
  it('lists the tags sorted, once each', () => {
    expect(surrogateKey(['sub:b', 'OrgUnit:a', 'sub:b', 'type:Post'])).toBe(
      'OrgUnit:a sub:b type:Post',
    );
  });

  it('gives record tags up for their type when they do not fit, then everything for `all`', () => {
    const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const records = Array.from({ length: 400 }, (_, i) => `Post:${uuid(i)}`);
    const coarse = surrogateKey([...records, 'OrgUnit:x', `sub:${uuid(1)}`]);
    expect(coarse).toBe(`sub:${uuid(1)} type:OrgUnit type:Post`);
    const subtrees = Array.from({ length: 400 }, (_, i) => `sub:${uuid(i)}`);
    expect(surrogateKey(subtrees)).toBe('all');
    expect(surrogateKey(records.slice(0, 10)).length).toBeLessThanOrEqual(SURROGATE_KEY_MAX);
  });
});
