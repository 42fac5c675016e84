import { inspect } from 'node:util';

/** What stands for a removed secret. */
export const REDACTED = '[redacted]';

/** Names of URL query or JSON fields whose values are credentials (`auth…` but not `author…`). */
const SECRET_NAME = String.raw`[\w.-]*(?:key|token|secret|passw(?:or)?d|pwd|authorization|auth(?!or)|cookie|signature|credential|session)[\w.-]*`;

/** A JSON string, quotes included. */
const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;

/**
 * One pass over a text, each alternative a place where credentials hide:
 * 1. user info of a URL (`postgres://user:pass@`, `redis://:pass@`, `https://token@`);
 * 2. a URL query parameter named like a credential (`?key=`, `&access_token=`);
 * 3. a JSON string field named like one (`"password":"…"`, and so the credential headers of a
 *    logged `headers` object: `"authorization":"…"`, `"cookie":"…"`), or a list of strings
 *    (`"set-cookie":["…","…"]`);
 * 4. an `Authorization` scheme's value (`Bearer …`, `Basic …`);
 * 5. an API key (`ak_<prefix>_<secret>`; the prefix is kept, it names the key);
 * 6. a JWT (`eyJ…`);
 * 7. a webhook signing secret (`whsec_…`).
 */
const SECRETS = new RegExp(
  [
    String.raw`(?<url>\b[a-z][a-z\d+.-]*:\/\/)(?<info>[^\s/?#@"'<>\\]*)@`,
    String.raw`(?<param>[?&;]${SECRET_NAME}=)[^&#\s"'<>\\]+`,
    String.raw`(?<field>"${SECRET_NAME}":")(?:[^"\\]|\\.)+(?=")`,
    String.raw`(?<list>"${SECRET_NAME}":)\[${JSON_STRING}(?:,${JSON_STRING})*\]`,
    String.raw`(?<scheme>\b(?:Bearer|Basic)\s+)[\w~+/.=-]+`,
    String.raw`(?<key>\bak_[a-z0-9]{12}_)[\w-]+`,
    String.raw`\beyJ[\w-]*\.[\w-]*\.[\w-]*`,
    String.raw`\bwhsec_[\w+/=]+`,
  ].join('|'),
  'gi',
);

/**
 * The text with every credential it shows replaced by `[redacted]`: applied to every log line
 * and to the messages the CLIs print, which may name a database or remote URL.
 */
export function scrubSecrets(text: string): string {
  return text.replace(SECRETS, (...args: unknown[]) => {
    const g = args[args.length - 1] as Record<string, string | undefined>;
    if (g.url !== undefined) {
      const colon = g.info!.indexOf(':');
      return colon >= 0
        ? `${g.url}${g.info!.slice(0, colon)}:${REDACTED}@`
        : `${g.url}${REDACTED}@`;
    }
    if (g.list !== undefined) return `${g.list}"${REDACTED}"`;
    const kept = g.param ?? g.field ?? g.scheme ?? g.key;
    return kept !== undefined ? `${kept}${REDACTED}` : REDACTED;
  });
}

/**
 * An error as a CLI prints it, scrubbed: its message, or with `full` all of it (stack, causes,
 * fields), for errors nobody expected.
 */
export function printableError(err: unknown, full = false): string {
  const text = full ? inspect(err) : err instanceof Error ? err.message : String(err);
  return scrubSecrets(text);
}
