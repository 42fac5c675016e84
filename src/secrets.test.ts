import { scrubSecrets } from './secrets';

describe('scrubSecrets', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/annuaire', 'postgres://app:[redacted]@db:5432/annuaire'],
    ['REDIS_URL=redis://:s3cret@cache:6379', 'REDIS_URL=redis://:[redacted]@cache:6379'],
    ['https://tok3n@git.example/x', 'https://[redacted]@git.example/x'],
    [
      'GET /export/snapshot.ndjson?key=s3cret&x=1',
      'GET /export/snapshot.ndjson?key=[redacted]&x=1',
    ],
    ['"url":"/graphql?access_token=s3cret"', '"url":"/graphql?access_token=[redacted]"'],
    ['{"password":"s3cret","name":"a"}', '{"password":"[redacted]","name":"a"}'],
    ['{"authToken":"s3cret"}', '{"authToken":"[redacted]"}'],
    ['authorization: Bearer s3cret.x-y', 'authorization: Bearer [redacted]'],
    ['"headers":{"Authorization":"Basic czNjcmV0"}', '"headers":{"Authorization":"[redacted]"}'],
    ['{"cookie":"sid=s3cret","accept":"*/*"}', '{"cookie":"[redacted]","accept":"*/*"}'],
    ['{"proxy-authorization":"s3cret"}', '{"proxy-authorization":"[redacted]"}'],
    ['{"set-cookie":["a=s3cret","b=\\"x\\""],"n":1}', '{"set-cookie":"[redacted]","n":1}'],
    [`"v":"ak_abcdefghij12_${'x'.repeat(43)}"`, '"v":"ak_abcdefghij12_[redacted]"'],
    ['token eyJhbGciOi.eyJzdWIi.c2ln end', 'token [redacted] end'],
    ['"s":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+p/a=" x', '"s":"[redacted]" x'],
  ])('%s', (text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
  });

  it('leaves ordinary lines alone', () => {
    const line =
      '{"level":30,"req":{"method":"POST","url":"/graphql?query=%7B__typename%7D"},"signal":"SIGTERM","url":"http://127.0.0.1:4000/graphql","author":"Préfecture"}';
    expect(scrubSecrets(line)).toBe(line);
  });
});
