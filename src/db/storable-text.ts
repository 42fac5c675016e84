/**
 * The characters that no text of the directory may hold: every C0 control but tab, line feed
 * and carriage return, DEL, the C1 controls (U+0080–U+009F), the Unicode non-characters
 * (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the last two of every plane), and lone surrogates.
 */
// Note: PostgreSQL text cannot hold NUL at all; a lone surrogate comes back from neither database
// as it went (pg writes U+FFFD; better-sqlite3 writes invalid UTF-8 that reads back as three
// U+FFFD), so neither would keep the text as given; the other controls would be stored, but
// they are invisible, break exports to XML and have no meaning in a directory. Carriage return
// is kept: text pasted from Windows holds it, and both databases store it as it is.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSTORABLE = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\p{Noncharacter_Code_Point}\p{Cs}]/u;

/** The first character of a text that the directory refuses, and where it is. */
export interface UnstorableCharacter {
  /** Position in UTF-16 code units. */
  index: number;
  /** The code point, as U+XXXX. */
  codePoint: string;
  /** What it is, for a person: "a NUL character", "a lone surrogate"… */
  kind: string;
}

/** Finds the first refused character of `text`, or null when the text can be stored as it is. */
export function unstorableCharacter(text: string): UnstorableCharacter | null {
  return described(UNSTORABLE.exec(text));
}

function described(match: RegExpExecArray | null): UnstorableCharacter | null {
  if (!match) return null;
  const cp = match[0].codePointAt(0)!;
  const kind =
    cp === 0
      ? 'a NUL character'
      : cp >= 0xd800 && cp <= 0xdfff
        ? 'a lone surrogate'
        : cp < 0xa0
          ? 'a control character'
          : 'a Unicode non-character';
  return {
    index: match.index,
    codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`,
    kind,
  };
}

/** A string found in a value (an object, a list…) that holds a refused character. */
export interface UnstorableText extends UnstorableCharacter {
  /** Path to the string within the value: property names and list indexes. */
  path: string[];
}

/**
 * Finds the first string, anywhere in `value` (nested objects and lists included), that holds a
 * refused character. Property names are not checked; only values.
 */
export function findUnstorableText(
  value: unknown,
  path: string[] = [],
  test: (text: string) => UnstorableCharacter | null = unstorableCharacter,
): UnstorableText | null {
  if (typeof value === 'string') {
    const found = test(value);
    return found && { ...found, path };
  }
  if (value === null || typeof value !== 'object') return null;
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, item] of entries) {
    const found = findUnstorableText(item, [...path, String(key)], test);
    if (found) return found;
  }
  return null;
}

const LOST = { postgres: /[\0\p{Cs}]/u, sqlite: /\p{Cs}/u };

/**
 * The first character of `text` that a database of this dialect would not store as given: NUL
 * on PostgreSQL (an error), a lone surrogate on either (it does not come back as it went). The
 * mirror checks what it copies with this narrower rule: the other refused characters are stored
 * faithfully, so a copy keeps them as the remote holds them.
 */
export function lostCharacter(
  text: string,
  dialect: 'postgres' | 'sqlite',
): UnstorableCharacter | null {
  return described(LOST[dialect].exec(text));
}

/** Where a refused character is: `name holds a NUL character (U+0000) at position 3`. */
export function describeUnstorable(field: string, found: UnstorableCharacter): string {
  return `${field} holds ${found.kind} (${found.codePoint}) at position ${found.index}`;
}

/** The message for a refused text: where the character is, and the rule. */
export function unstorableMessage(field: string, found: UnstorableCharacter): string {
  return `${describeUnstorable(field, found)}; text may not hold control characters other than tab, line feed and carriage return, non-characters or lone surrogates.`;
}
