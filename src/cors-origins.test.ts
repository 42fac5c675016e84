import { corsEntryProblem, corsMatcher } from './cors-origins';

const admits = (entry: string, origin: string) => {
  const matcher = corsMatcher(entry);
  return typeof matcher === 'string' ? matcher === origin : matcher.test(origin);
};

describe('CORS_ORIGINS entries', () => {
  it('accepts exact origins and patterns of whole leading labels', () => {
    for (const entry of [
      'https://a.example',
      'http://localhost:3000',
      'https://*.interieur.gouv.fr',
      'http://*.localhost.example:8080',
    ])
      expect(corsEntryProblem(entry)).toBeNull();
  });

  it('refuses a bare wildcard, partial labels and too short suffixes, saying why', () => {
    for (const entry of ['*', 'https://*', 'http://*']) {
      expect(corsEntryProblem(entry)).toMatch(/every site/);
    }
    for (const entry of [
      'https://*.fr',
      'https://*x.gouv.fr',
      'https://a.*.gouv.fr',
      'https://*.*.gouv.fr',
      'https://*.gouv.fr/',
      'https://*.gouv.fr:port',
      'ftp://*.gouv.fr',
    ]) {
      expect(corsEntryProblem(entry)).toMatch(/whole leading labels/);
    }
    expect(corsEntryProblem('a.example')).toMatch(/origins such as/);
  });

  it('lets a * stand for one or more whole labels, with the same scheme and port', () => {
    const entry = 'https://*.interieur.gouv.fr';
    for (const origin of [
      'https://intranet.interieur.gouv.fr',
      'https://dgpn.intranet.interieur.gouv.fr',
      'https://a-1.interieur.gouv.fr',
    ])
      expect(admits(entry, origin)).toBe(true);
    for (const origin of [
      'https://interieur.gouv.fr',
      'https://evilinterieur.gouv.fr',
      'https://x.interieur.gouv.fr.evil.example',
      'https://x.interieur.gouvXfr',
      'http://x.interieur.gouv.fr',
      'https://x.interieur.gouv.fr:8443',
      'https://-x.interieur.gouv.fr',
      'https://x_y.interieur.gouv.fr',
      'https://.interieur.gouv.fr',
      'null',
    ])
      expect(admits(entry, origin)).toBe(false);
    expect(admits('http://*.example.test:8080', 'http://a.example.test:8080')).toBe(true);
    expect(admits('http://*.example.test:8080', 'http://a.example.test')).toBe(false);
    expect(admits('http://*.example.test:8080', 'http://a.example.test:80800')).toBe(false);
  });
});
