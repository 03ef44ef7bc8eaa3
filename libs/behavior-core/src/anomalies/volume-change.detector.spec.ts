import { AnomalyScanRepository } from './anomaly-scan.repository.js';
import { lastCompleteWindow } from './anomaly-window.js';
import { VolumeChangeDetector } from './volume-change.detector.js';

const settings = { enabled: true, sensitivity: 'medium', minVolume: 20, coolDownMinutes: 10 } as const;

describe('VolumeChangeDetector reference intervals', () => {
  const window = lastCompleteWindow(new Date('2026-12-04T10:03:30Z'), 5);

  it('judges the last interval that ended at least a minute ago', () => {
    expect(window.start.toISOString()).toBe('2026-12-04T09:55:00.000Z');
    expect(window.end.toISOString()).toBe('2026-12-04T10:00:00.000Z');
  });

  it.each([
    ['none', 5 * 60_000],
    ['day', 86_400_000],
    ['week', 7 * 86_400_000],
  ] as const)('seasonality %s steps back by its period, history times', (seasonality, step) => {
    const detector = new VolumeChangeDetector(
      { ...settings, history: 4, seasonality },
      new AnomalyScanRepository(),
      () => [],
    );
    const starts = detector.bucketStarts(window).map((d) => d.getTime());
    expect(starts).toHaveLength(5);
    expect(starts.map((s) => window.start.getTime() - s)).toEqual([0, step, 2 * step, 3 * step, 4 * step]);
  });
});
