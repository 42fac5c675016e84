import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('defaults to a seeded SQLite file under ./data and port 4000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({
      dialect: 'sqlite',
      url: 'sqlite:./data/annuaire.sqlite',
      sqlitePath: path.resolve('data/annuaire.sqlite'),
      statementTimeoutMs: 30_000,
      preparedStatements: true,
      lockTimeoutMs: 2000,
    });
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).database.preparedStatements).toBe(
      false,
    );
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'maybe' })).toThrow(ConfigError);
    expect(config.http).toMatchObject({ port: 4000, host: 'localhost' });
    expect(config.seeds.onStart).toBe(true);
    expect(config.exposeSqlCount).toBe(true);
  });

  it('refuses a write lock wait that is not below the request timeout', () => {
    expect(loadConfig({ DATABASE_LOCK_TIMEOUT_MS: '500' }).database.lockTimeoutMs).toBe(500);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '300' }).database.lockTimeoutMs).toBe(150);
    expect(() =>
      loadConfig({ DATABASE_LOCK_TIMEOUT_MS: '30000', REQUEST_TIMEOUT_MS: '30000' }),
    ).toThrow(/DATABASE_LOCK_TIMEOUT_MS: must be less than REQUEST_TIMEOUT_MS/);
  });

  it('selects PostgreSQL from a postgres:// URL and turns the SQL count off in production', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/annuaire',
      NODE_ENV: 'production',
    });
    expect(config.database.dialect).toBe('postgres');
    expect(config.production).toBe(true);
    expect(config.exposeSqlCount).toBe(false);
  });

  it('defaults the hardening settings outside production', () => {
    const config = loadConfig({});
    expect(config.introspection).toBe(true);
    expect(config.http).toMatchObject({
      requestTimeoutMs: 30_000,
      corsOrigins: ['https://studio.apollographql.com'],
    });
    expect(config.limits).toMatchObject({ maxAliases: 50, maxDirectives: 20, maxTokens: 5000 });
    expect(config.rateLimit).toEqual({
      points: 1_000_000,
      syncPoints: 10_000_000,
      windowSeconds: 60,
      minCost: 100,
      authFailures: { limit: 10, windowSeconds: 300 },
      redisUrl: null,
      redisPrefix: null,
    });
  });

  it('turns introspection and Apollo Sandbox CORS off in production, unless configured', () => {
    const production = loadConfig({ NODE_ENV: 'production' });
    expect(production.introspection).toBe(false);
    expect(production.http.corsOrigins).toEqual([]);
    const configured = loadConfig({
      NODE_ENV: 'production',
      INTROSPECTION: 'true',
      CORS_ORIGINS: ' https://a.example , http://localhost:3000,https://a.example',
      REDIS_URL: 'redis://cache:6379/2',
    });
    expect(configured.introspection).toBe(true);
    expect(configured.http.corsOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(configured.rateLimit.redisUrl).toBe('redis://cache:6379/2');
    expect(loadConfig({ INTROSPECTION: 'false' }).introspection).toBe(false);
  });

  it('offers Apollo Sandbox outside production and GraphiQL in production, unless configured', () => {
    expect(loadConfig({}).explorer).toBe('sandbox');
    expect(loadConfig({ NODE_ENV: 'production' }).explorer).toBe('graphiql');
    expect(loadConfig({ NODE_ENV: 'production', EXPLORER: 'off' }).explorer).toBe('off');
    expect(loadConfig({ EXPLORER: 'graphiql' }).explorer).toBe('graphiql');
    expect(() => loadConfig({ EXPLORER: 'playground' })).toThrow(/EXPLORER: Invalid option/);
  });

  it('lists every invalid variable by name in one clear error', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        QUERY_MAX_DEPTH: '0',
        LOG_LEVEL: 'loud',
        SEED_ON_START: 'maybe',
        RATE_LIMIT_POINTS: '0',
        RATE_LIMIT_WINDOW_SECONDS: 'soon',
        REQUEST_TIMEOUT_MS: '-5',
        CORS_ORIGINS: 'https://a.example,*',
        REDIS_URL: 'http://cache:6379',
        QUERY_MAX_TOKENS: '0',
        INTROSPECTION: 'yes',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (e) {
      const message = (e as Error).message;
      for (const name of [
        'PORT',
        'DATABASE_URL',
        'QUERY_MAX_DEPTH',
        'LOG_LEVEL',
        'SEED_ON_START',
        'RATE_LIMIT_POINTS',
        'RATE_LIMIT_WINDOW_SECONDS',
        'REQUEST_TIMEOUT_MS',
        'CORS_ORIGINS',
        'REDIS_URL',
        'QUERY_MAX_TOKENS',
        'INTROSPECTION',
      ]) {
        expect(message).toContain(name);
      }
    }
  });

  it('trusts no proxy by default, or a hop count, or a list of addresses, blocks and ranges', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    for (const off of ['false', '0', ' '])
      expect(loadConfig({ TRUST_PROXY: off }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(
      loadConfig({
        TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7,uniquelocal,linklocal',
      }).http.trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7', 'uniquelocal', 'linklocal']);
  });

  it('refuses a TRUST_PROXY that Express would misread or that trusts every client', () => {
    for (const garbage of [
      'true',
      'yes',
      'loopback,',
      '10.0.0.0/33',
      'fd00::/129',
      '10.0.0/8',
      '10.0.0.1/8/8',
      'proxy.example',
      '-1',
      '101',
    ]) {
      const attempt = () => loadConfig({ TRUST_PROXY: garbage });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/TRUST_PROXY: /);
    }
  });

  it('waits 8 seconds at most for the requests in hand on shutdown, unless configured', () => {
    expect(loadConfig({}).http.shutdownGraceMs).toBe(8_000);
    expect(loadConfig({ SHUTDOWN_GRACE_MS: '25000' }).http.shutdownGraceMs).toBe(25_000);
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: 'soon' })).toThrow(/SHUTDOWN_GRACE_MS/);
  });

  it('serves /metrics only with METRICS_TOKEN or METRICS_PORT, in any environment', () => {
    expect(loadConfig({}).metrics).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production' }).metrics).toBeNull();
    const token = 'a-fake-metrics-token-for-tests';
    expect(loadConfig({ METRICS_TOKEN: token }).metrics).toEqual({ token, port: null });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ token: null, port: 9464 });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ METRICS_TOKEN: 'sixteen chars with spaces' })).toThrow(
      /METRICS_TOKEN/,
    );
    expect(() => loadConfig({ METRICS_PORT: '4000' })).toThrow(/METRICS_PORT: must differ/);
  });

  it('traces only when OTEL_EXPORTER_OTLP_ENDPOINT is an http(s) URL', () => {
    expect(loadConfig({}).tracingEndpoint).toBeNull();
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracingEndpoint,
    ).toBe('http://collector:4318');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });
});
