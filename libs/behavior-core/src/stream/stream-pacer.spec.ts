import { EventEmitter2 } from '@nestjs/event-emitter';
import { BEHAVIOR_INGESTION_ELSEWHERE, BEHAVIOR_SIGNAL_BATCH_INGESTED } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import { StreamPacer } from './stream-pacer.js';

function pacer(busyShare: number, busyCpu: number) {
  const events = new EventEmitter2();
  const options = { settings: { stream: { busyShare, busyCpu } } } as unknown as BehaviorCoreOptions;
  const p = new StreamPacer(options, events);
  p.start();
  return { p, events };
}

describe('StreamPacer', () => {
  it('never pauses while no ingestion was heard of', () => {
    const { p } = pacer(0.25, 0);
    expect(p.pauseAfter(100)).toBe(0);
    p.stop();
  });

  it('keeps a lane at its share while ingestion is busy (here or in the API that started it)', () => {
    for (const event of [BEHAVIOR_SIGNAL_BATCH_INGESTED, BEHAVIOR_INGESTION_ELSEWHERE]) {
      const { p, events } = pacer(0.25, 0);
      events.emit(event);
      expect(p.yielding).toBe(true);
      // 100 ms in a batch, then 300 ms paused: a quarter of the lane's time.
      expect(p.pauseAfter(100)).toBe(300);
      expect(p.pauseAfter(10_000)).toBe(10_000);
      p.stop();
      expect(p.pauseAfter(100)).toBe(0);
    }
  });

  it('does not pause while the CPUs have room, nor when the share is 1', () => {
    const idle = pacer(0.25, 1.01);
    idle.events.emit(BEHAVIOR_SIGNAL_BATCH_INGESTED);
    expect(idle.p.pauseAfter(100)).toBe(0);
    idle.p.stop();
    const off = pacer(1, 0);
    off.events.emit(BEHAVIOR_SIGNAL_BATCH_INGESTED);
    expect(off.p.pauseAfter(100)).toBe(0);
    off.p.stop();
  });
});
