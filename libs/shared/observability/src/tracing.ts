import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';

export { SpanKind };

let installed = false;

/**
 * Installs OpenTelemetry tracing for the process: async context, W3C trace context
 * propagation, and — when OTEL_EXPORTER_OTLP_ENDPOINT is set, or processors are given —
 * a tracer provider that exports spans. Without an endpoint, trace context still flows
 * through messages (a caller's trace continues), but nothing is recorded here.
 *
 * @example
 *   startTracing('workflow');  // OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318
 */
export function startTracing(service: string, processors?: SpanProcessor[]): void {
  if (!installed) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    installed = true;
  }
  const spanProcessors = processors ?? (process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })] : []);
  if (spanProcessors.length === 0) return;
  const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors });
  trace.setGlobalTracerProvider(provider);
}

const tracer = () => trace.getTracer('idsync');

/** The W3C traceparent of the active span ('' when there is none). */
export function currentTraceparent(): string {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? '';
}

/** The context a remote traceparent continues. */
export function contextFrom(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
}

/**
 * Runs `work` in a span (child of `parent`, or of the active span), recording an error and
 * ending the span whatever happens.
 */
export async function inSpan<T>(
  name: string,
  opts: { kind?: SpanKind; parent?: Context; attributes?: Record<string, string | number | boolean> },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind: opts.kind, attributes: opts.attributes }, opts.parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      throw e;
    } finally {
      span.end();
    }
  });
}
