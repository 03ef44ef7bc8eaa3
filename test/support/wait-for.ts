/**
 * Polls `probe` until `done` holds and returns that value; after `timeoutMs` it throws with the
 * last value seen, so a failing wait says what it saw.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > until) {
      throw new Error(`timed out; last value ${String(JSON.stringify(value)).slice(0, 2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
