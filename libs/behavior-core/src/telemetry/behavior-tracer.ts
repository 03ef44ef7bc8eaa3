import { SpanStatusCode, trace, type Attributes, type Span, type SpanOptions } from '@opentelemetry/api';

/**
 * The API's tracer is a proxy that starts recording once an SDK registers, so unlike
 * metric instruments it can be taken at module load. Without an SDK every span is a no-op.
 */
export const behaviorTracer = trace.getTracer('@lssm/behavior-core');

/** Runs `fn` in a new active span (children: pg and Redis client spans), ending it with the outcome. */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  return behaviorTracer.startActiveSpan(name, { ...options, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Method decorator form of {@link withSpan}, so tracing a method does not re-indent its body;
 * `describe` turns the method's result into attributes of the span.
 */
export function Traced<R>(name: string, describe?: (result: R) => Attributes) {
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor): void => {
    const original = descriptor.value as (...args: unknown[]) => Promise<R>;
    descriptor.value = function (this: unknown, ...args: unknown[]) {
      return withSpan(name, {}, async (span) => {
        const result = await original.apply(this, args);
        if (describe) span.setAttributes(describe(result));
        return result;
      });
    };
  };
}
