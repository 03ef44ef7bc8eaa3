/**
 * Thrown by an external consumer (a sink) whose receiver cannot take anything now: connection
 * refused or lost, timeout, no leader. The stream treats it as an outage, not as a verdict on the
 * signals: the partition keeps its checkpoint and retries with growing backoff, and never starts
 * trying signals one at a time or parking them because of it.
 */
export class SinkUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SinkUnavailableError';
  }
}
