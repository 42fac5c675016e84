import { Writable } from 'node:stream';
import { createLogger } from './logger';

/** A logger writing into an array of parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: createLogger('info', stream), lines };
}

describe('logger', () => {
  it('hides credential headers in a headers field and in any field holding headers', () => {
    const { log, lines } = capture();
    const headers = { Authorization: 'Bearer fake', cookie: 'session=fake', accept: 'text/html' };
    log.info({ headers }, 'top level');
    log.info({ upstream: { url: '/x', headers: { 'proxy-authorization': 'fake' } } }, 'nested');
    log.child({ headers: { 'set-cookie': 'a=b' } }).info('bound');
    expect(lines[0].headers).toEqual({
      Authorization: '[redacted]',
      cookie: '[redacted]',
      accept: 'text/html',
    });
    expect(lines[1].upstream).toEqual({
      url: '/x',
      headers: { 'proxy-authorization': '[redacted]' },
    });
    expect(lines[2].headers).toEqual({ 'set-cookie': '[redacted]' });
    // The logged objects themselves are left as they were.
    expect(headers.Authorization).toBe('Bearer fake');
  });

  it('leaves lines without credential headers as they are', () => {
    const { log, lines } = capture();
    log.info({ req: { method: 'GET', url: '/graphql' }, headers: { accept: '*/*' } }, 'plain');
    expect(lines[0]).toMatchObject({
      req: { method: 'GET', url: '/graphql' },
      headers: { accept: '*/*' },
      msg: 'plain',
      service: 'annuaire-graphql',
    });
  });
});
