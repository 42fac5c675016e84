import type { IncomingMessage } from 'node:http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/** Paths not traced: probes and scrapes, every few seconds, say nothing about the API. */
const UNTRACED = new Set(['/health', '/ready', '/metrics']);

/**
 * Starts OpenTelemetry tracing: spans of the HTTP server, Express, GraphQL (the operation, its
 * name and document, the non-trivial resolvers) and pg, sent to `OTEL_EXPORTER_OTLP_ENDPOINT`
 * by the SDK's OTLP exporter, in `OTEL_EXPORTER_OTLP_PROTOCOL` (http/protobuf by default, or
 * http/json, grpc); the SDK reads the other `OTEL_*` variables itself.
 * Only `src/main.ts` loads this file, when the endpoint is set, and before any module that the
 * instrumentations patch (http, express, graphql, pg) is loaded.
 * Note: no header is recorded (the HTTP instrumentation records headers only when told to), nor
 * GraphQL variables (`allowValues` is off) or SQL parameters (pg's `enhancedDatabaseReporting` is
 * off): they may hold credentials and personal data.
 * Note: the SDK would also export metrics and logs by OTLP; the gateway's metrics are on
 * `/metrics`, so both are off unless OTEL_METRICS_EXPORTER or OTEL_LOGS_EXPORTER say otherwise.
 */
export function startTracing(): { shutdown(): Promise<void> } {
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'annuaire-graphql',
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) =>
          UNTRACED.has((req.url ?? '').split('?')[0]),
      }),
      new ExpressInstrumentation(),
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
