import http from 'node:http';
import net from 'node:net';
import type { Logger } from '../logger';

/**
 * The graceful close of the HTTP server on shutdown. It stops accepting connections, lets every
 * request already received or still to come on an open connection run to its answer, and asks
 * each client to close with `Connection: close`; a connection ends after its last answer, an idle
 * one when its keep-alive timeout (which every answer announces) runs out. After the grace period,
 * whatever is left is cut off.
 */
export class HttpDrain {
  private draining = false;
  private readonly unanswered = new Set<http.ServerResponse>();
  private readonly closers: Array<() => Promise<void>> = [];

  /** Watches `server`'s requests; built before it listens. */
  constructor(private readonly server: http.Server) {
    // Note: prepended, to run before Express, which may answer in the same tick.
    server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      if (this.draining) res.setHeader('connection', 'close');
      this.unanswered.add(res);
      res.once('close', () => this.unanswered.delete(res));
    });
  }

  /**
   * Runs `closer` first when the drain starts: what holds connections open for good (WebSockets,
   * event streams) and the listeners feeding them, which would otherwise wait out the grace.
   */
  beforeClose(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  /** Drains the server as described above; resolves once no connection is left. */
  async close(graceMs: number, log: Logger): Promise<void> {
    this.draining = true;
    // Note: http.Server.close() also destroys idle keep-alive connections at once, and with them
    // the request that a client may be sending on one at that very moment; net.Server's close
    // only stops listening, and calls back when the last connection has ended. It goes first:
    // while the closers below wait (a LISTEN connection to end, say), a client connecting would
    // otherwise be taken into the backlog and reset when the listener closes.
    const drained = new Promise<void>((resolve) =>
      net.Server.prototype.close.call(this.server, () => resolve()),
    );
    for (const closer of this.closers.splice(0)) {
      try {
        await closer();
      } catch (err) {
        log.warn({ err }, 'closing long-lived connections failed');
      }
    }
    for (const res of this.unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
    log.info({ unanswered: this.unanswered.size, graceMs }, 'no longer accepting connections');
    const cutOff = setTimeout(() => {
      log.warn(
        { unanswered: this.unanswered.size, graceMs },
        'shutdown grace period over: closing the connections left',
      );
      this.server.closeAllConnections();
    }, graceMs);
    await drained;
    clearTimeout(cutOff);
    // Note: stops the server's timer that checks request timeouts; nothing is listening by now.
    this.server.close();
  }
}
