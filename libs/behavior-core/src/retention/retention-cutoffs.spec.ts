import type { SignalSchemaDefinition } from '../contracts/signal-schema.js';
import { retentionCutoffs } from './retention-cutoffs.js';

const now = new Date('2026-12-02T12:00:00.000Z');
const settings = {
  signalsDays: 180,
  metricsDays: 365,
  insightsDays: 90,
  alertsDays: 30,
  overlayAuditDays: 7,
  erasureAuditDays: 365,
  schedule: '30 3 * * *',
};
const def = (id: string, version: number, retentionDays: number) =>
  ({ id, version, retentionDays }) as unknown as SignalSchemaDefinition;

describe('retentionCutoffs', () => {
  it('derives every cutoff from now and the configured days', () => {
    const c = retentionCutoffs(settings, [], now);
    expect(c.signalsBefore.toISOString()).toBe('2026-06-05T12:00:00.000Z');
    expect(c.partitionsEndingBy).toEqual(c.signalsBefore);
    expect(c.metricsBefore).toBe('2025-12-02');
    expect(c.insightsBefore.toISOString()).toBe('2026-09-03T12:00:00.000Z');
    expect(c.perSchema).toEqual([]);
    expect(c.alertsResolvedBefore.toISOString()).toBe('2026-11-02T12:00:00.000Z');
    expect(c.overlayAuditBefore.toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(c.erasureAuditsBefore.toISOString()).toBe('2025-12-02T12:00:00.000Z');
  });

  it('ages alerts and overlay audit rows by their own settings, not by the signals limit', () => {
    const c = retentionCutoffs({ ...settings, alertsDays: 400, overlayAuditDays: 1 }, [def('s', 1, 5)], now);
    expect(c.alertsResolvedBefore.toISOString()).toBe('2025-10-28T12:00:00.000Z');
    expect(c.overlayAuditBefore.toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(c.signalsBefore.toISOString()).toBe('2026-06-05T12:00:00.000Z');
  });

  it('lets a schema shorten, never extend, the service-wide signal retention', () => {
    const c = retentionCutoffs(
      settings,
      [def('short', 1, 30), def('long', 1, 400), def('equal', 1, 180)],
      now,
    );
    expect(c.perSchema).toEqual([{ schemaId: 'short', before: new Date('2026-11-02T12:00:00.000Z') }]);
  });

  it('keeps a schema as long as its longest-lived version', () => {
    const c = retentionCutoffs(settings, [def('multi', 1, 10), def('multi', 2, 60), def('other', 1, 7)], now);
    expect(c.perSchema.map((p) => [p.schemaId, p.before.toISOString()])).toEqual([
      ['multi', '2026-10-03T12:00:00.000Z'],
      ['other', '2026-11-25T12:00:00.000Z'],
    ]);
  });
});
