import { findUnstorableText, lostCharacter, unstorableCharacter } from './storable-text';

describe('storable text', () => {
  it.each([
    ['a\u0000b', 1, 'U+0000', 'a NUL character'],
    ['\u0001', 0, 'U+0001', 'a control character'],
    ['ab\u000b', 2, 'U+000B', 'a control character'],
    ['\u007f', 0, 'U+007F', 'a control character'],
    ['x\u0085', 1, 'U+0085', 'a control character'],
    ['\ud800x', 0, 'U+D800', 'a lone surrogate'],
    ['x\udfff', 1, 'U+DFFF', 'a lone surrogate'],
    ['\ufffe', 0, 'U+FFFE', 'a Unicode non-character'],
    ['\ufdd0', 0, 'U+FDD0', 'a Unicode non-character'],
    ['\u{10ffff}', 0, 'U+10FFFF', 'a Unicode non-character'],
  ])('refuses %j', (text, index, codePoint, kind) => {
    expect(unstorableCharacter(text)).toEqual({ index, codePoint, kind });
  });

  it.each(['tab\tlf\ncr\r', '🏛️ 👩🏽‍⚖️', 'e\u0301', 'العربية', '\u00a0\u200b\ufeff', ''])(
    'keeps %j',
    (text) => expect(unstorableCharacter(text)).toBeNull(),
  );

  it('finds the first refused string in nested objects and lists, with its path', () => {
    const value = { a: 'ok', b: [{ c: 'ok' }, { d: 'x\u0000' }], e: new Date(0), f: 3 };
    expect(findUnstorableText(value, ['input'])).toMatchObject({
      path: ['input', 'b', '1', 'd'],
      codePoint: 'U+0000',
    });
    expect(findUnstorableText({ a: ['ok'], n: null })).toBeNull();
  });

  it('knows what each database cannot keep as given', () => {
    expect(lostCharacter('a\u0000', 'postgres')?.codePoint).toBe('U+0000');
    expect(lostCharacter('a\u0000', 'sqlite')).toBeNull();
    expect(lostCharacter('\u0007\ud800', 'sqlite')).toMatchObject({
      index: 1,
      codePoint: 'U+D800',
    });
    expect(lostCharacter('\u0007', 'postgres')).toBeNull();
  });
});
