import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { RequestHandler, Response } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, parse } from 'graphql';
import type { Context } from '../graphql/context';
import type { MetricsConfig } from '../config';
import type { Logger } from '../logger';
import { registry, requestDuration } from '../metrics';

/**
 * True when `header` is `Bearer <token>`. Both sides are hashed first, so the comparison takes
 * the same time whatever the length or the first differing byte of what was sent.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** Where a scrape's text comes from: this process's registry, or (cluster) every worker's. */
export interface MetricsSource {
  contentType: string;
  collect(): Promise<string>;
}

const OWN_METRICS: MetricsSource = {
  contentType: registry.contentType,
  collect: () => registry.metrics(),
};

/**
 * Answers a scrape: the registry in Prometheus text format, to a caller that gives the bearer
 * token when `METRICS_TOKEN` is set; 401 otherwise. Never logs what was sent.
 */
export function serveMetrics(token: string | null, source: MetricsSource = OWN_METRICS) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (token !== null && !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(401, {
        'content-type': 'text/plain; charset=utf-8',
        'www-authenticate': 'Bearer realm="metrics"',
      });
      res.end('Unauthorized\n');
      return;
    }
    source.collect().then(
      (text) => {
        res.writeHead(200, { 'content-type': source.contentType, 'cache-control': 'no-store' });
        res.end(text);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('metrics collection failed\n');
      },
    );
  };
}

/**
 * The listener of `METRICS_PORT`: its own HTTP server, which serves `/metrics` and nothing else
 * (404), on the same host as the gateway. Resolves with its URL once it listens.
 */
export async function startMetricsListener(
  config: MetricsConfig & { port: number },
  host: string,
  log: Logger,
  source: MetricsSource = OWN_METRICS,
): Promise<{ url: string; close(): Promise<void> }> {
  const serve = serveMetrics(config.token, source);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) serve(req, res);
    else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`;
  log.info({ url }, 'metrics listening');
  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The route label of a path: the few that exist, so that paths cannot add labels. */
function routeOf(path: string): string {
  if (path === '/graphql' || path === '/') return 'graphql';
  const first = path.split('/')[1];
  return ['export', 'widget', 'health', 'ready', 'metrics', 'schema.graphql'].includes(first)
    ? first
    : 'other';
}

/**
 * Times every request into `annuaire_http_request_duration_seconds`, with the GraphQL operation
 * name that the GraphQL path leaves in `res.locals.operation` (see `OperationLabels`).
 */
export function requestTimer(): RequestHandler {
  return (req, res, next) => {
    const stop = requestDuration.startTimer();
    const path = req.path;
    res.once('finish', () => {
      const route = routeOf(path);
      const operation =
        route === 'graphql' ? ((res.locals.operation as string | undefined) ?? 'none') : '';
      stop({ route, operation, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * The bounded set of operation names used as labels. Names are chosen by clients, so only the
 * operations of the published documents (schema/operations) and the first `cap` other names
 * seen get a label of their own; the rest count under `other`. An operation without a name is
 * `anonymous`; a request that resolved no operation (a parse or validation error, a refusal
 * before Apollo) is `none`.
 */
export class OperationLabels {
  private readonly names: Set<string>;
  private extra = 0;

  constructor(
    known: Iterable<string>,
    private readonly cap = 50,
  ) {
    this.names = new Set(known);
  }

  /** The label of an operation name. */
  of(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.names.has(name)) return name;
    if (this.extra >= this.cap) return 'other';
    this.extra += 1;
    this.names.add(name);
    return name;
  }
}

/**
 * Where a request's context holds its Express response, for the operation label.
 * Note: a symbol property, since Apollo hands the plugins a shallow copy of the context.
 */
export const EXPRESS_RESPONSE = Symbol('express response');

/**
 * Leaves the label of each resolved operation in its response's `res.locals.operation`, for
 * `requestTimer`; the context function puts the response under `EXPRESS_RESPONSE`.
 */
export function operationLabelPlugin(labels: OperationLabels): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const res = (contextValue as { [EXPRESS_RESPONSE]?: Response })[EXPRESS_RESPONSE];
      if (!res) return;
      return {
        async didResolveOperation({ operationName }) {
          res.locals.operation = labels.of(operationName);
        },
      };
    },
  };
}

/** The names of the operations in the published documents (`schema/operations/*.graphql`). */
export function publishedOperationNames(dir: string): string[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  } catch {
    return [];
  }
  return files.flatMap((file) =>
    parse(fs.readFileSync(path.join(dir, file), 'utf8')).definitions.flatMap((d) =>
      d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [],
    ),
  );
}
