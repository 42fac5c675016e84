import { parseTargetUrl, refusedRange, TargetRefused } from './webhook-target';

describe('refusedRange, the SSRF guard’s address check', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['2001:db8::1', 'reserved'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '193.51.224.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    'lets the public address %s through',
    (address) => expect(refusedRange(address)).toBeNull(),
  );
});

describe('parseTargetUrl', () => {
  it.each([
    'not a url',
    'ftp://example.org/',
    'javascript:alert(1)',
    'http://user:secret@example.org/',
    `https://example.org/${'a'.repeat(2048)}`,
  ])('refuses %s as INVALID_URL', (text) => {
    expect(() => parseTargetUrl(text)).toThrow(TargetRefused);
    try {
      parseTargetUrl(text);
    } catch (e) {
      expect((e as TargetRefused).code).toBe('INVALID_URL');
    }
  });

  it('takes http and https URLs', () => {
    expect(parseTargetUrl('https://hooks.example.org/annuaire?x=1').hostname).toBe(
      'hooks.example.org',
    );
  });
});
