import { distIsStale } from './setup/build-dist';

describe('the build the tests spawn', () => {
  // Note: guards the global set-up (jest.config.js): without it, a missing or stale dist/ would
  // make the CLI and server-process tests fail, or pass on old code.
  it('is no older than the sources when the tests run', () => {
    expect(distIsStale()).toBe(false);
  });
});
