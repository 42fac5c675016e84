import type http from 'node:http';
import type { Duplex } from 'node:stream';
import express from 'express';
import type { DataSource } from 'typeorm';
import {
  DocumentNode,
  ExecutionArgs,
  ExecutionResult,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createHandler as createSseHandler } from 'graphql-sse';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { Context, createContext, Services, StreamChannel } from '../graphql/context';
import {
  ClientError,
  ErrorCode,
  RateLimitedError,
  SubscriptionsOnlyError,
  TooManySubscriptionsError,
} from '../graphql/errors';
import type { Authenticator, Principal } from '../graphql/principal';
import { IdenticalFieldsRule } from '../graphql/identical-fields';
import { KnownOperationTypesRule, operationLimits } from '../graphql/limits';
import { subscriptionsOpen } from '../metrics';
import type { RateBudget } from './rate-limit';
import { authenticateCounted } from './rate-limit-entry';
import { sendGraphQLError } from './json-errors';
import type { SubscriptionPlace, SubscriptionPlaces } from './subscription-places';

/** The close code of a refused credential (graphql-ws' Forbidden). */
export const FORBIDDEN_CLOSE = CloseCode.Forbidden;
/** The close code of an address that failed to authenticate too often. */
export const AUTH_RATE_LIMITED_CLOSE = 4429;
/** The close code of a shutdown: the client may connect again, to another instance. */
export const GOING_AWAY_CLOSE = 1001;

/** What the subscription transports need, from the HTTP app's start-up. */
export interface SubscriptionDeps {
  config: Config;
  log: Logger;
  db: DataSource;
  services: Services;
  schema: GraphQLSchema;
  authenticate: Authenticator;
  budget: RateBudget;
  app: express.Express;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** The count of each caller's open subscriptions: the deployment's with Redis. */
  places: SubscriptionPlaces;
}

/** The subscription settings of the configuration. */
export interface SubscriptionLimits {
  perCaller: number;
  heartbeatMs: number;
  bufferBytes: number;
}

/** A subscription refused before it started: its errors, already formatted, and a status. */
class Refusal {
  constructor(
    readonly errors: GraphQLError[],
    readonly status: number,
  ) {}
}

/** Per connection, what graphql-ws keeps for us. */
type WsExtra = {
  socket: WebSocket;
  request: http.IncomingMessage;
  principal?: Principal;
  /** The places in the caller's count of this connection's subscriptions, by id. */
  held?: Map<string, SubscriptionPlace>;
};

/**
 * GraphQL subscriptions over WebSocket (graphql-ws, protocol graphql-transport-ws, on `/graphql`
 * and `/`, upgraded on the HTTP server) and over Server-Sent Events (graphql-sse, distinct
 * connections, on `/graphql/stream`). Both authenticate like HTTP (the bearer credential in
 * `connection_init`'s payload or the `Authorization` header, failures counted per address),
 * parse, validate and measure the document with the same rules and limits as HTTP before
 * subscribing, count open subscriptions per caller, send heartbeats, and bound what waits for a
 * slow client. This layer knows no field: the schema's subscription resolvers give the events.
 */
export class SubscriptionServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly wsDispose: { dispose: () => Promise<void> | void };
  private readonly streams = new Set<http.ServerResponse>();
  private readonly limitsOf: ReturnType<typeof operationLimits>;
  private readonly rules = [...specifiedRules, KnownOperationTypesRule, IdenticalFieldsRule];
  private closing = false;

  constructor(
    private readonly deps: SubscriptionDeps,
    private readonly limits: SubscriptionLimits,
  ) {
    this.limitsOf = operationLimits(deps.schema, deps.config.limits);
    this.wsDispose = useServer<Record<string, unknown>, WsExtra>(
      {
        schema: deps.schema,
        onConnect: (ctx) => this.connect(ctx),
        onSubscribe: async (ctx, id, payload) => {
          const principal = ctx.extra.principal!;
          const socket = ctx.extra.socket;
          const channel: StreamChannel = {
            buffered: () => socket.bufferedAmount,
            bufferLimit: this.limits.bufferBytes,
          };
          const prepared = await this.prepare(principal, payload, channel, 'ws');
          // Note: formatted by onError, as every error sent on the socket.
          if (prepared instanceof Refusal) return prepared.errors;
          // Note: a socket that closed while its place was taken has been counted out already.
          if (socket.readyState !== socket.OPEN) {
            prepared.place.release();
            return [];
          }
          (ctx.extra.held ??= new Map()).set(id, prepared.place);
          return prepared.args;
        },
        onNext: (_ctx, _id, _payload, _args, result) => this.formatResult(result),
        onError: (_ctx, _id, _payload, errors) =>
          errors.map((e) => this.formatOne(e)) as unknown as readonly GraphQLError[],
        onComplete: (ctx, id) => {
          ctx.extra.held?.get(id)?.release();
          ctx.extra.held?.delete(id);
        },
        onClose: (ctx) => {
          for (const place of ctx.extra.held?.values() ?? []) place.release();
          ctx.extra.held?.clear();
        },
      },
      this.wss,
      limits.heartbeatMs,
    );
  }

  /** Routes the HTTP server's upgrades: WebSocket on `/graphql` and `/`, refused elsewhere. */
  attach(server: http.Server): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '/').split('?')[0];
      if (this.closing || (path !== '/graphql' && path !== '/')) {
        const status = this.closing ? '503 Service Unavailable' : '404 Not Found';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
    });
  }

  /**
   * `connection_init`: authenticates the connection once, by the payload's `authorization` (or
   * `Authorization`), else the upgrade request's header. Bad credentials close it with 4403.
   */
  private async connect(ctx: WsContext<Record<string, unknown>, WsExtra>): Promise<boolean> {
    const params = ctx.connectionParams ?? {};
    const given = params.authorization ?? params.Authorization;
    const header = typeof given === 'string' ? given : ctx.extra.request.headers.authorization;
    const req = expressRequest(this.deps.app, ctx.extra.request);
    try {
      ctx.extra.principal = await authenticateCounted(
        req,
        this.deps.budget,
        this.deps.authenticate,
        header,
      );
      return true;
    } catch (e) {
      if (!(e instanceof ClientError)) throw e;
      const code =
        e.code === ErrorCode.AUTH_RATE_LIMITED ? AUTH_RATE_LIMITED_CLOSE : FORBIDDEN_CLOSE;
      ctx.extra.socket.close(code, closeReason(e.code, e.message));
      return false;
    }
  }

  /**
   * Parses, validates and measures a subscription for `principal`, with the rules and limits of
   * HTTP, checks the caller's count and budget, and builds its context: the arguments to
   * subscribe with, holding a place in the caller's count, or the refusal.
   */
  private async prepare(
    principal: Principal,
    payload: { query?: unknown; operationName?: unknown; variables?: unknown },
    stream: StreamChannel,
    transport: 'ws' | 'sse',
  ): Promise<{ args: ExecutionArgs; place: SubscriptionPlace } | Refusal> {
    const { config, schema, budget } = this.deps;
    const refuse = (errors: GraphQLError[], status = 400) => new Refusal(errors, status);
    if (typeof payload.query !== 'string')
      return refuse([requestError('GraphQL operations must contain a query.', 'BAD_REQUEST')]);
    const operationName = typeof payload.operationName === 'string' ? payload.operationName : null;
    const variables =
      payload.variables && typeof payload.variables === 'object'
        ? (payload.variables as Record<string, unknown>)
        : {};
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: config.limits.maxTokens });
    } catch (e) {
      const error = e as GraphQLError;
      return refuse([
        new GraphQLError(error.message, {
          source: error.source,
          positions: error.positions,
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        }),
      ]);
    }
    const invalid = validate(schema, document, this.rules);
    if (invalid.length > 0)
      return refuse(
        invalid.map((e) =>
          e.originalError instanceof ClientError
            ? e
            : new GraphQLError(e.message, {
                nodes: e.nodes,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
        ),
      );
    const operation = getOperationAST(document, operationName);
    if (!operation)
      return refuse([
        requestError('Unable to identify the operation to run.', 'OPERATION_RESOLUTION_FAILURE'),
      ]);
    if (operation.operation !== 'subscription')
      return refuse([new SubscriptionsOnlyError(operation.operation)]);
    let complexity: number | null;
    try {
      complexity = this.limitsOf(document, operation, { operationName, variables });
    } catch (e) {
      if (e instanceof ClientError) return refuse([e]);
      throw e;
    }
    if (complexity === null) {
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      return refuse(
        (coerced.errors ?? []).map(
          (e) =>
            new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT' } }),
        ),
      );
    }
    if (this.deps.places.full(principal.rateKey))
      return refuse([new TooManySubscriptionsError(this.limits.perCaller)], 429);
    // Note: a subscription pays its estimate once, when it starts, as an HTTP request pays before
    // it executes.
    const charge = await budget.charge(principal, Math.max(budget.minimum, complexity));
    if (!charge.allowed)
      return refuse(
        [
          new RateLimitedError(
            complexity,
            charge.state.remaining,
            charge.state.limit,
            charge.retryAfterSeconds,
          ),
        ],
        429,
      );
    const contextValue: Context = createContext(
      this.deps.db,
      config,
      this.deps.services,
      { statements: 0 },
      principal,
      null,
    );
    contextValue.stream = stream;
    contextValue.cost.requested = complexity;
    // Note: checked again after the budget's answer, and taken in the same step (one script
    // with Redis), so that concurrent subscriptions of one caller, on this instance or on
    // others, cannot pass the cap together.
    const taken = await this.deps.places.take(principal.rateKey);
    if (!taken) return refuse([new TooManySubscriptionsError(this.limits.perCaller)], 429);
    subscriptionsOpen.inc({ transport });
    let released = false;
    return {
      args: { schema, document, operationName, variableValues: variables, contextValue },
      place: {
        release: () => {
          if (released) return;
          released = true;
          taken.release();
          subscriptionsOpen.dec({ transport });
        },
      },
    };
  }

  private formatOne(error: GraphQLError): GraphQLFormattedError {
    const formatted = this.deps.formatError(error.toJSON(), error);
    if (!formatted.extensions || !('http' in formatted.extensions)) return formatted;
    const { http: _http, ...extensions } = formatted.extensions;
    void _http;
    return { ...formatted, extensions };
  }

  private formatResult(result: ExecutionResult): ExecutionResult | void {
    if (!result.errors?.length) return undefined;
    return {
      ...result,
      errors: result.errors.map((e) => this.formatOne(e)) as unknown as GraphQLError[],
    };
  }

  /**
   * The Server-Sent Events transport, mounted on `/graphql/stream` with no compression, answer
   * cache, CSRF marking or request deadline in front: a stream is answered at once and stays open.
   * Distinct connections only (one operation per request, `Accept: text/event-stream`).
   */
  sseHandler(): express.RequestHandler {
    const handler = createSseHandler<http.IncomingMessage, SseRequestContext, SseContext>({
      schema: this.deps.schema,
      // Note: `onSubscribe` has validated already, with this API's rules.
      validate: () => [],
      onSubscribe: async (req, params) => {
        const state = req.context;
        const prepared = await this.prepare(state.principal, params, state.channel, 'sse');
        if (prepared instanceof Refusal)
          return [
            JSON.stringify({ errors: prepared.errors.map((e) => this.formatOne(e)) }),
            {
              status: prepared.status,
              statusText: prepared.status === 429 ? 'Too Many Requests' : 'Bad Request',
              headers: { 'content-type': 'application/json; charset=utf-8' },
            },
          ];
        state.place = prepared.place;
        const { args } = prepared;
        (args.contextValue as Context & { [WRITER]?: SseWriter })[WRITER] = state.writer;
        return args as ExecutionArgs & { contextValue: SseContext };
      },
      // Note: graphql-sse drops an error thrown by the source (the stream just ends): the source's
      // error becomes a last event with its errors instead, as the WebSocket's `error` message.
      onOperation: (_ctx, _req, _args, result) =>
        isAsyncIterable(result) ? endingWithErrors(result) : undefined,
      // Note: awaited before each event is queued: the next one is not taken from the source
      // while the client has not taken this one, so a slow client's backlog waits in the source,
      // where it is bounded.
      onNext: async (ctx, _req, result) => {
        const writer = (ctx as Context & { [WRITER]?: SseWriter })[WRITER];
        await writer?.idle();
        writer?.expect();
        return this.formatResult(result as ExecutionResult);
      },
    });
    const json = express.json({ limit: this.deps.config.http.bodyLimit });
    return (req, res, next) => {
      if (req.method === 'PUT' || req.headers['x-graphql-event-stream-token']) {
        sendGraphQLError(
          req,
          res,
          405,
          ErrorCode.BAD_REQUEST,
          'Only the distinct connections mode of graphql-sse is served: send each subscription as its own GET or POST with Accept: text/event-stream.',
        );
        return;
      }
      if (req.method === 'POST' && !req.is('application/json')) {
        sendGraphQLError(req, res, 415, ErrorCode.BAD_REQUEST, 'Send the operation as JSON.');
        return;
      }
      json(req, res, (err?: unknown) => {
        if (err) return next(err);
        this.serveSse(handler, req, res).catch(next);
      });
    };
  }

  private async serveSse(
    handler: ReturnType<
      typeof createSseHandler<http.IncomingMessage, SseRequestContext, SseContext>
    >,
    req: express.Request,
    res: express.Response,
  ): Promise<void> {
    if (this.closing) {
      sendGraphQLError(
        req,
        res,
        503,
        ErrorCode.SHUTTING_DOWN,
        'This instance is shutting down: connect again.',
      );
      return;
    }
    let principal: Principal;
    try {
      principal = await authenticateCounted(req, this.deps.budget, this.deps.authenticate);
    } catch (e) {
      if (!(e instanceof ClientError)) throw e;
      const httpInfo = e.extensions.http as
        { status?: number; headers?: Map<string, string> } | undefined;
      for (const [name, value] of httpInfo?.headers ?? []) res.setHeader(name, value);
      sendGraphQLError(req, res, httpInfo?.status ?? 401, e.code, e.message);
      return;
    }
    const writer = new SseWriter(res, this.limits.heartbeatMs);
    const state: SseRequestContext = {
      principal,
      place: null,
      writer,
      channel: {
        buffered: () => res.writableLength,
        bufferLimit: this.limits.bufferBytes,
      },
    };
    const [body, init] = await handler({
      method: req.method,
      url: req.originalUrl,
      headers: {
        get: (key: string) => {
          const value = req.headers[key];
          return Array.isArray(value) ? value.join('\n') : value;
        },
      },
      body: (req.body as Record<string, unknown> | undefined) ?? null,
      raw: req,
      context: state,
    });
    try {
      res.writeHead(init.status, init.statusText, init.headers as http.OutgoingHttpHeaders);
      if (!body || typeof body === 'string') {
        res.end(body ?? undefined);
        return;
      }
      this.streams.add(res);
      res.flushHeaders();
      await writer.pipe(body);
    } finally {
      this.streams.delete(res);
      state.place?.release();
    }
  }

  /**
   * Shutdown: refuses new connections, ends every WebSocket with 1001 and every event stream, so
   * that the HTTP drain is not held by them.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const client of this.wss.clients)
      client.close(GOING_AWAY_CLOSE, 'The server is shutting down; connect again.');
    for (const res of this.streams) res.end();
    await this.wsDispose.dispose();
    for (const client of this.wss.clients) client.terminate();
    this.deps.places.close();
  }
}

/** The operation context, as graphql-sse types it. */
type SseContext = Context & Record<PropertyKey, unknown>;

/** The graphql-sse request context: the caller and the stream's channel. */
interface SseRequestContext {
  principal: Principal;
  channel: StreamChannel;
  /** The stream's place in the caller's count, once its subscription started. */
  place: SubscriptionPlace | null;
  writer: SseWriter;
}

/** Where an event stream's context keeps its writer. */
const WRITER = Symbol('sse writer');

/**
 * Writes an event stream with backpressure (each message waits until the previous one went out),
 * with heartbeat comments while idle. A stream whose output has not moved for two heartbeats is
 * cut off: its client stopped reading (the event stream's counterpart of an unanswered ping).
 */
class SseWriter {
  private waiters: Array<() => void> = [];
  /** Events handed to graphql-sse and not yet written out. */
  private outstanding = 0;
  private failed = false;

  constructor(
    private readonly res: http.ServerResponse,
    private readonly heartbeatMs: number,
  ) {}

  /** Resolves once every event handed over so far has been written out. */
  idle(): Promise<void> {
    if (this.outstanding === 0 || this.failed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** One more event is on its way to the writer. */
  expect(): void {
    this.outstanding += 1;
  }

  async pipe(body: AsyncGenerator<string, void, undefined>): Promise<void> {
    const res = this.res;
    // Note: since when a message (or a heartbeat) has been waiting to go out, if one is.
    let stalledSince: number | null = null;
    let writing = false;
    const heartbeat = setInterval(() => {
      if (writing || res.writableLength > 0) {
        const now = Date.now();
        stalledSince ??= now;
        if (now - stalledSince >= 2 * this.heartbeatMs) res.destroy();
        return;
      }
      stalledSince = null;
      if (this.outstanding === 0 && !res.writableEnded) res.write(':\n\n');
    }, this.heartbeatMs);
    const stop = () => void body.return(undefined);
    res.once('close', stop);
    try {
      for await (const message of body) {
        // Note: `writable` stays true once the response is ended (by the shutdown, `close`), and
        // a write after the end is an error event on the response.
        if (this.failed || !res.writable || res.writableEnded || res.destroyed) break;
        writing = true;
        // Note: a response destroyed with the message still waiting (the cut above) does not
        // always call the write's callback; its closing ends the wait.
        await new Promise<void>((resolve, reject) => {
          res.once('close', resolve);
          res.write(message, (err) => {
            res.off('close', resolve);
            if (err) reject(err);
            else resolve();
          });
        });
        writing = false;
        if (message.startsWith('event: next') && this.outstanding > 0) this.outstanding -= 1;
        if (this.outstanding === 0) for (const waiter of this.waiters.splice(0)) waiter();
      }
    } catch {
      // Note: the client went away while a message was being written.
    } finally {
      clearInterval(heartbeat);
      res.off('close', stop);
      this.failed = true;
      for (const waiter of this.waiters.splice(0)) waiter();
      if (!res.writableEnded) res.end();
    }
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

/**
 * The results of `source`, then, if it throws, one last result carrying the error.
 * Note: an iterator object, not an async generator, whose `return()` would wait for the pending
 * `next()`, that is for the next change: a client that leaves must end the source at once.
 */
function endingWithErrors(
  source: AsyncIterable<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  const wrapped: AsyncIterableIterator<ExecutionResult> & {
    throw(error?: unknown): Promise<never>;
  } = {
    [Symbol.asyncIterator]: () => wrapped,
    async next() {
      if (ended) return { done: true, value: undefined };
      try {
        return await iterator.next();
      } catch (e) {
        ended = true;
        const error = e instanceof Error ? e : new Error(String(e));
        return {
          done: false,
          value: { errors: [new GraphQLError(error.message, { originalError: error })] },
        };
      }
    },
    async return() {
      ended = true;
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    // Note: graphql-sse ends only the operations that look like async generators (`throw` too).
    async throw(error?: unknown) {
      ended = true;
      await iterator.return?.();
      throw error;
    },
  };
  return wrapped;
}

/** The upgrade request with Express's request methods, so that `req.ip` follows `trust proxy`. */
function expressRequest(app: express.Express, req: http.IncomingMessage): express.Request {
  if (Object.getPrototypeOf(req) !== app.request) Object.setPrototypeOf(req, app.request);
  return req as express.Request;
}

/** An error of the request as a whole, with one of graphql-js's or Apollo's request codes. */
function requestError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** A WebSocket close reason: `CODE: message`, within the 123 bytes a close frame allows. */
function closeReason(code: string, message: string): string {
  let text = `${code}: ${message}`;
  while (Buffer.byteLength(text) > 123) text = text.slice(0, -2);
  return text;
}
