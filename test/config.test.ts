import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('defaults to a seeded SQLite file under ./data and port 4000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({
      dialect: 'sqlite',
      url: 'sqlite:./data/annuaire.sqlite',
      sqlitePath: path.resolve('data/annuaire.sqlite'),
    });
    expect(config.http).toMatchObject({ port: 4000, host: 'localhost' });
    expect(config.seeds.onStart).toBe(true);
    expect(config.exposeSqlCount).toBe(true);
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

  it('lists every invalid variable by name in one clear error', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        QUERY_MAX_DEPTH: '0',
        LOG_LEVEL: 'loud',
        SEED_ON_START: 'maybe',
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
      ]) {
        expect(message).toContain(name);
      }
    }
  });
});
