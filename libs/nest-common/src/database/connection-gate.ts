/**
 * A counting semaphore in FIFO order: how many connections the non-ingest lanes hold at once.
 * A waiter gives up after `timeoutMs` with the same message pg uses for a pool checkout that timed
 * out, so callers treat both alike (503 database_unavailable).
 */
export class ConnectionGate {
  private held = 0;
  private readonly waiting: Array<{ admit: () => void }> = [];

  constructor(
    private readonly capacity: number,
    private readonly timeoutMs: number,
  ) {}

  async enter(): Promise<void> {
    if (this.held < this.capacity) {
      this.held += 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        admit: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new Error('timeout exceeded when trying to connect (all shared connections busy)'));
      }, this.timeoutMs);
      this.waiting.push(waiter);
    });
  }

  leave(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
    if (next) next.admit();
    else this.held -= 1;
  }
}
