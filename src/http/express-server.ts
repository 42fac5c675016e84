import http from 'node:http';
import type { Express } from 'express';

/**
 * The HTTP server of an Express app, built so that Express never changes the prototype of a
 * request or a response.
 *
 * Express gives each request its methods (`req.ip`, `res.json`…) by setting the prototypes of
 * Node's `req` and `res` to `app.request` and `app.response` as it enters the app
 * (`Object.setPrototypeOf` in `app.handle`). Changing an object's prototype throws V8's
 * optimizations of every later access to it, in Node's HTTP code as in ours: measured here on
 * Node 20, Express 5 with `express.json()` and Apollo's integration took 380–550 µs of CPU for
 * `{ __typename }`, and 250–310 µs once the swap did nothing (docs/benchmarks.md, eighth round;
 * expressjs/express#5998 describes the same). So Node builds requests and responses of classes
 * whose prototypes *are* the app's, extending Node's own (`IncomingMessage`, `ServerResponse`,
 * as `http.createServer` allows), and the swap sets the prototype an object already has, which
 * V8 does as nothing.
 *
 * Note: the classes' prototypes sit in front of the app's, so what Express or a library adds to
 * `express.request`, `app.request` or their responses, even later, is still found. A sub-app
 * mounted with `app.use(subApp)` would swap the prototypes again for its own requests; the
 * gateway mounts routers only.
 */
export function expressServer(app: Express, options: http.ServerOptions = {}): http.Server {
  class Request extends http.IncomingMessage {}
  class Response extends http.ServerResponse<Request> {}
  Object.setPrototypeOf(Request.prototype, app.request);
  Object.setPrototypeOf(Response.prototype, app.response);
  app.request = Request.prototype as unknown as Express['request'];
  app.response = Response.prototype as unknown as Express['response'];
  return http.createServer({ ...options, IncomingMessage: Request, ServerResponse: Response }, app);
}
