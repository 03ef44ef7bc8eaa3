import type { BehaviorSignal } from '../contracts/behavior-signal.js';
import type { BehaviorMetricProjector } from '../contracts/behavior-metric-projector.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { MetricDeltaAccumulator } from './metric-delta.accumulator.js';

/**
 * Runs every projector that supports each signal, in configured order. A signal without
 * a user, or whose schema version is no longer loaded, feeds no metric (it still moves the
 * checkpoint). A projector throwing on a signal loses only its own output for that signal,
 * so one bad signal cannot stall projection forever; replays skip it the same way.
 * Returns the milliseconds each projector spent on the batch.
 */
export function runProjectors(
  acc: MetricDeltaAccumulator,
  signals: readonly BehaviorSignal[],
  projectors: readonly BehaviorMetricProjector[],
  schemas: SchemaRegistry,
  onError: (projector: string, signal: BehaviorSignal, error: unknown) => void,
): ReadonlyMap<string, number> {
  const spent = new Map<string, number>(projectors.map((p) => [p.name, 0]));
  for (const signal of signals) {
    acc.signalsProjected++;
    if (signal.userId === null) continue;
    const definition = schemas.get(signal.schemaId, signal.schemaVersion);
    if (!definition) continue;
    const withUser = signal as BehaviorSignal & { userId: string };
    for (const projector of projectors) {
      const started = performance.now();
      try {
        if (projector.supports(signal, definition)) {
          acc.apply(withUser, projector.name, (a) => projector.project(signal, definition, a));
        }
      } catch (error) {
        onError(projector.name, signal, error);
      }
      spent.set(projector.name, spent.get(projector.name)! + performance.now() - started);
    }
  }
  return spent;
}
