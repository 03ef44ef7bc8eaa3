import { trace, type Link, type Span } from '@opentelemetry/api';
import { withSpan } from '../telemetry/behavior-tracer.js';

/** The span of the request that submitted items to the group commit, if it is being traced. */
export function submittingSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span : undefined;
}

/**
 * One span per group write. A group carries several requests, so it cannot be the child of
 * one of them: it is a root span linked to every request span, and each request span gets a
 * link back to the commit that carried its items.
 */
export function traceGroupCommit<T>(
  group: readonly { readonly items: readonly unknown[]; readonly span?: Span }[],
  write: () => Promise<T>,
): Promise<T> {
  const requests = group.flatMap((p) => (p.span ? [p.span] : []));
  if (requests.length === 0) return write();
  const links: Link[] = requests.map((span) => ({ context: span.spanContext() }));
  return withSpan(
    'behavior.signals.group_commit',
    {
      'behavior.group.requests': group.length,
      'behavior.group.size': group.reduce((n, p) => n + p.items.length, 0),
    },
    (commit) => {
      for (const span of requests) span.addLink({ context: commit.spanContext() });
      return write();
    },
    { root: true, links },
  );
}
