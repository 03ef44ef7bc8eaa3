import type { LoggerService } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { requestLogs } from './request-log.context.js';

export function createRootLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'behavior-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Correlates a log line with its trace in Jaeger (only while a span is recorded).
      mixin() {
        const context = trace.getActiveSpan()?.spanContext();
        return context && isSpanContextValid(context)
          ? { traceId: context.traceId, spanId: context.spanId }
          : {};
      },
    },
    destination,
  );
}

/**
 * Nest's own log lines go through the same pino instance as the request logs; inside a
 * request, through that request's logger (request id and tenant id on every line).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  private get logger(): Pick<Logger, 'info' | 'error' | 'warn' | 'debug' | 'trace'> {
    return (requestLogs.getStore() as Logger | undefined) ?? this.root;
  }

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
