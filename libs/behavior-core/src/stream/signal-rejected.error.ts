/**
 * Thrown by an external consumer for a signal its receiver refuses for good (malformed for it,
 * too large...): the stream parks that signal for the consumer and moves on. Any other error
 * from an external consumer counts as the receiver being unavailable: the partition waits.
 */
export class SignalRejectedError extends Error {
  constructor(
    readonly signalId: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'SignalRejectedError';
  }
}
