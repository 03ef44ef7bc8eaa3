/** Handles are opaque so the same code type-checks against browser (number) and Node (Timeout) timers. */
export interface TrackerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Looked up at call time, so Jest's fake timers installed before the tracker is created are used. */
export function globalTimers(): TrackerTimers {
  const g = globalThis as unknown as {
    setTimeout(cb: () => void, ms: number): unknown;
    clearTimeout(h: unknown): void;
    setInterval(cb: () => void, ms: number): unknown;
    clearInterval(h: unknown): void;
  };
  return {
    setTimeout: (cb, ms) => g.setTimeout(cb, ms),
    clearTimeout: (h) => g.clearTimeout(h),
    setInterval: (cb, ms) => g.setInterval(cb, ms),
    clearInterval: (h) => g.clearInterval(h),
  };
}

/** A tracker must never be the reason a Node process (CLI, test run, worker) stays alive. */
export function unrefTimer<T>(handle: T): T {
  const candidate = handle as { unref?: () => unknown } | null;
  if (candidate && typeof candidate === 'object' && typeof candidate.unref === 'function') candidate.unref();
  return handle;
}
