import { GroupCommitQueue, QueueFullError } from './group-commit.queue';

type Out = string;

function queue(options: { fails?: (items: number[]) => unknown; maxQueued?: number } = {}) {
  const writes: number[][] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> | null = null;
  const q = new GroupCommitQueue<number, Out>(
    async (items) => {
      writes.push(items);
      if (gate) await gate;
      const error = options.fails?.(items);
      if (error) throw error;
      return items.map((i) => `ok-${i}`);
    },
    {
      maxBatch: 100,
      maxConcurrent: 1,
      maxQueued: options.maxQueued,
      isOutage: (error) => (error as { outage?: boolean }).outage === true,
      onItemFailure: (item) => `failed-${item}`,
    },
  );
  return {
    q,
    writes,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release() {
      gate = null;
      release();
    },
  };
}

describe('GroupCommitQueue', () => {
  it('isolates an item that fails: only it gets a failure output, the rest of its group is written', async () => {
    const t = queue({ fails: (items) => (items.includes(13) ? new Error('bad value') : undefined) });
    t.hold();
    const first = t.q.submit([1]);
    const a = t.q.submit([10, 11, 12]);
    const b = t.q.submit([13, 14]);
    const c = t.q.submit([15]);
    t.release();
    await expect(first).resolves.toEqual(['ok-1']);
    await expect(a).resolves.toEqual(['ok-10', 'ok-11', 'ok-12']);
    await expect(b).resolves.toEqual(['failed-13', 'ok-14']);
    await expect(c).resolves.toEqual(['ok-15']);
    // Every item but the poison went out in exactly one successful write.
    const succeeded = t.writes.filter((w) => !w.includes(13)).flat();
    expect(succeeded.sort((x, y) => x - y)).toEqual([1, 10, 11, 12, 14, 15]);
  });

  it('an outage fails the whole group without retrying item by item', async () => {
    const t = queue({ fails: () => Object.assign(new Error('down'), { outage: true }) });
    await expect(t.q.submit([1, 2, 3])).rejects.toThrow('down');
    expect(t.writes).toHaveLength(1);
  });

  it('refuses a submission that would overfill the queue, and accepts again once it drains', async () => {
    const t = queue({ maxQueued: 5 });
    t.hold();
    const inFlight = t.q.submit([1]);
    const waiting = t.q.submit([2, 3, 4]);
    await expect(t.q.submit([5, 6, 7])).rejects.toBeInstanceOf(QueueFullError);
    t.release();
    await Promise.all([inFlight, waiting]);
    await expect(t.q.submit([5, 6, 7])).resolves.toEqual(['ok-5', 'ok-6', 'ok-7']);
  });
});
