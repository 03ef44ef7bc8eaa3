import type { QueueStore, TrackedSignal } from './tracker.types.js';

// The lib compiles against browser globals only; these are the few node:fs calls the file store makes.
interface NodeFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  open(
    path: string,
    flags: string,
  ): Promise<{
    writeFile(data: string): Promise<void>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }>;
  rename(from: string, to: string): Promise<void>;
}

interface NodeProcess {
  pid: number;
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * Node persistence: the queue survives a process restart, including a kill -9 mid-flush.
 * Each save writes a temporary file, fsyncs it and renames it over the queue file, so a crash leaves
 * either the previous queue or the new one, never half of one. Saves are coalesced: while one is on
 * its way to disk only the latest queue waits behind it.
 *
 * node:fs is reached through `process.getBuiltinModule` (Node >= 20.16) rather than an import, so a
 * browser bundle of this package never has to resolve it.
 */
export class FileStore implements QueueStore {
  private writing?: Promise<void>;
  private next?: { signals: TrackedSignal[]; done: Promise<void> };

  constructor(private readonly path: string) {}

  private fs(): NodeFs {
    const proc = (globalThis as { process?: NodeProcess }).process;
    const fs = proc?.getBuiltinModule?.('node:fs/promises') as NodeFs | undefined;
    if (!fs) throw new Error('FileStore needs Node.js >= 20.16 (process.getBuiltinModule)');
    return fs;
  }

  async load(): Promise<TrackedSignal[]> {
    let text: string;
    try {
      text = await this.fs().readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return [];
      throw err;
    }
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as TrackedSignal[]) : [];
  }

  save(signals: TrackedSignal[]): Promise<void> {
    if (!this.writing) {
      this.writing = this.write(signals).finally(() => (this.writing = undefined));
      return this.writing;
    }
    if (this.next) {
      this.next.signals = signals;
      return this.next.done;
    }
    const pending = { signals, done: Promise.resolve() };
    pending.done = this.writing
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.save(pending.signals);
      });
    this.next = pending;
    return pending.done;
  }

  private async write(signals: TrackedSignal[]): Promise<void> {
    const fs = this.fs();
    const pid = (globalThis as { process?: NodeProcess }).process?.pid ?? 0;
    const tmp = `${this.path}.${pid}.tmp`;
    const file = await fs.open(tmp, 'w');
    try {
      await file.writeFile(JSON.stringify(signals));
      await file.sync();
    } finally {
      await file.close();
    }
    await fs.rename(tmp, this.path);
  }
}
