/**
 * The characters that no text of the directory may hold: every C0 control but tab, line feed
 * and carriage return, DEL, the C1 controls (U+0080–U+009F), the Unicode non-characters
 * (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the last two of every plane), and lone surrogates.
 */
// Note: PostgreSQL text cannot hold NUL at all, and both drivers encode a lone surrogate as
// U+FFFD, so neither would store the text as given; the other controls would be stored, but
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
  const match = UNSTORABLE.exec(text);
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
export function findUnstorableText(value: unknown, path: string[] = []): UnstorableText | null {
  if (typeof value === 'string') {
    const found = unstorableCharacter(value);
    return found && { ...found, path };
  }
  if (value === null || typeof value !== 'object') return null;
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, item] of entries) {
    const found = findUnstorableText(item, [...path, String(key)]);
    if (found) return found;
  }
  return null;
}

/** The message for a refused text: `name holds a NUL character (U+0000) at position 3.` */
export function unstorableMessage(field: string, found: UnstorableCharacter): string {
  return `${field} holds ${found.kind} (${found.codePoint}) at position ${found.index}; text may not hold control characters other than tab, line feed and carriage return, non-characters or lone surrogates.`;
}
