import { freshDatabase } from '../helpers/gateway';
import { startServerProcess } from '../helpers/server-process';

/**
 * The server's log is written asynchronously (src/logger.ts, `serverLogDestination`): when the
 * process reading its standard output stops reading, requests go on being answered, the lines
 * past LOG_BUFFER_MB are dropped and counted (`annuaire_log_lines_dropped_total`), and the
 * process's memory stays bounded. With pino's default synchronous destination nothing is
 * dropped or counted (the counter stays at 0 and this test fails).
 */
describe('the server log when its reader stalls', () => {
  const TOKEN = 'fake-metrics-token-for-tests';

  it('keeps answering, drops the lines it cannot hold and counts them', async () => {
    const database = await freshDatabase();
    const server = startServerProcess(database.url, {
      LOG_BUFFER_MB: '1',
      METRICS_TOKEN: TOKEN,
      RATE_LIMIT_POINTS: '100000000',
    });
    try {
      const url = await server.ready;
      // Stop reading the server's output: the pipe (64 kB) fills, then the 1 MB buffer.
      server.child.stdout.pause();
      const get = `${url}?query=${encodeURIComponent('{ __typename }')}`;
      let answered = 0;
      // Note: each line is about 300 bytes, so 6,000 requests log about 1.8 MB.
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let i = 0; i < 600; i++) {
            const res = await fetch(get);
            await res.arrayBuffer();
            if (res.status === 200) answered++;
          }
        }),
      );
      expect(answered).toBe(6000);
      const metrics = await fetch(url.replace(/\/graphql$/, '/metrics'), {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const text = await metrics.text();
      const dropped = Number(/^annuaire_log_lines_dropped_total (\d+)/m.exec(text)?.[1]);
      expect(dropped).toBeGreaterThan(1000);
      const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1]);
      expect(rss).toBeLessThan(400 * 1024 * 1024);
      // Reading again, the server's output goes on.
      server.child.stdout.resume();
      // (the first lines after it may still find the buffer full, so probe until one is logged)
      for (let probe = 0; !server.output().includes('probe='); probe++) {
        await (await fetch(`${get}&probe=${probe}`)).arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // Stalled again, the server still stops on SIGTERM, leaving what the reader cannot take.
      server.child.stdout.pause();
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let i = 0; i < 400; i++) await (await fetch(get)).arrayBuffer();
        }),
      );
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await database.drop();
    }
  }, 90_000);
});
