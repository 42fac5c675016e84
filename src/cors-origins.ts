/** One DNS label: letters, digits and inner hyphens, 63 characters at most (RFC 1035). */
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

/** An exact origin: scheme, host and optional port, nothing else. */
const EXACT = /^https?:\/\/[^/\s*]+$/;

/**
 * A pattern: `*.` then at least two labels, and an optional port. The `*` stands for one or
 * more whole labels, so `https://*.interieur.gouv.fr` admits `https://intranet.interieur.gouv.fr`
 * and `https://dgpn.intranet.interieur.gouv.fr`, never `https://interieur.gouv.fr` itself.
 */
const PATTERN = new RegExp(`^(https?)://\\*((?:\\.${LABEL}){2,})(:\\d{1,5})?$`);

/** Why an entry of `CORS_ORIGINS` is refused, or null when it is an origin or a pattern. */
export function corsEntryProblem(entry: string): string | null {
  if (entry === '*' || /^https?:\/\/\*$/.test(entry))
    return `${JSON.stringify(entry)} would admit every site: name origins or patterns such as https://*.interieur.gouv.fr`;
  if (entry.includes('*')) {
    return PATTERN.test(entry.toLowerCase())
      ? null
      : `${JSON.stringify(entry)}: a * stands for whole leading labels, followed by at least two (https://*.interieur.gouv.fr)`;
  }
  return EXACT.test(entry) ? null : `${JSON.stringify(entry)}: origins such as https://a.example`;
}

/**
 * What the `cors` package matches an entry with: the exact origin as given, or for a pattern, a
 * regular expression over the whole origin, scheme and port included (no port: the default one).
 */
export function corsMatcher(entry: string): string | RegExp {
  const match = PATTERN.exec(entry.toLowerCase());
  if (!match) return entry;
  const [, scheme, suffix, port] = match;
  const escaped = suffix.replace(/\./g, '\\.');
  return new RegExp(`^${scheme}://(?:${LABEL}\\.)+${escaped.slice(2)}${port ?? ''}$`);
}
