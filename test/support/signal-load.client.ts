/**
 * A client that behaves as a careful producer: every signal carries a signalKey,
 * and a batch whose answer never arrived (or was 503) is sent again until acked.
 */
export class SignalLoadClient {
  readonly acked = new Set<string>();
  readonly unacked: { keys: string[]; body: unknown }[] = [];
  readonly statuses = new Map<number, number>();
  private sequence = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly apiKey: string,
    private readonly batchSize = 20,
  ) {}

  nextBatch(prefix: string): { keys: string[]; body: unknown } {
    const keys: string[] = [];
    const signals = Array.from({ length: this.batchSize }, () => {
      const key = `${prefix}-${this.sequence++}`;
      keys.push(key);
      return {
        schemaId: 'content.view',
        userId: `u-${this.sequence % 7}`,
        signalKey: key,
        attributes: { contentId: key },
      };
    });
    return { keys, body: { signals } };
  }

  /** Sends once; returns true when the server acknowledged every item (accepted or duplicate). */
  async send(batch: { keys: string[]; body: unknown }): Promise<boolean> {
    try {
      const res = await fetch(`${this.baseUrl()}/api/ai-behavior/signals/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch.body),
        signal: AbortSignal.timeout(10_000),
      });
      this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
      const body = (await res.json()) as { results?: { status: string }[] };
      if (res.status !== 200 || !body.results) return false;
      if (body.results.some((r) => r.status === 'rejected')) throw new Error('a valid signal was rejected');
      for (const key of batch.keys) this.acked.add(key);
      return true;
    } catch (error) {
      if (error instanceof Error && error.message === 'a valid signal was rejected') throw error;
      this.statuses.set(0, (this.statuses.get(0) ?? 0) + 1);
      return false;
    }
  }

  /** Sends new batches until `stop()` says so; failed batches are kept for retry. */
  async run(prefix: string, stop: () => boolean): Promise<void> {
    while (!stop()) {
      const batch = this.nextBatch(prefix);
      if (!(await this.send(batch))) {
        this.unacked.push(batch);
        // A careful producer backs off instead of hammering a server that is down.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  async retryUntilAcked(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (this.unacked.length > 0) {
      if (Date.now() > deadline) throw new Error(`${this.unacked.length} batches never acknowledged`);
      const batch = this.unacked[0];
      if (await this.send(batch)) this.unacked.shift();
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}
