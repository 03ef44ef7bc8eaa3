/** A counting semaphore in FIFO order: how many connections the non-ingest lanes hold at once. */
export class ConnectionGate {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  async enter(): Promise<void> {
    if (this.held < this.capacity) {
      this.held += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
    if (next) next();
    else this.held -= 1;
  }
}
