import { OverlaysService } from '@lssm/overlay/nest';
import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_ANALYZER_THRESHOLDS, summarizeInsights, type BehaviorInsights } from '@lssm/personalization';
import { CLOCK } from '../behavior-core.tokens.js';
import type { Clock } from '../contracts/behavior-core-options.js';
import { PersonalizationSignalsRepository } from './personalization-signals.repository.js';

export const DEFAULT_INSIGHTS_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface ServerAnalyzeInput {
  readonly tenantId: string;
  readonly userId?: string;
  readonly role?: string;
  readonly windowMs: number;
  /** End of the window (inclusive); default the service clock. */
  readonly until?: Date;
  /** Known fields per operation (the base spec), as `BehaviorAnalyzer.analyze({ fields })`. */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
}

/**
 * `BehaviorAnalyzer.analyze` over stored signals: Postgres counts, the analyzer's own rules decide.
 * The thresholds are the analyzer's defaults, so a client analyzer built without options and this
 * endpoint agree on the same events.
 */
@Injectable()
export class PersonalizationInsightsService {
  private readonly thresholds = { ...DEFAULT_ANALYZER_THRESHOLDS };

  constructor(
    private readonly signals: PersonalizationSignalsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly overlays: OverlaysService,
  ) {}

  async analyze(input: ServerAnalyzeInput): Promise<BehaviorInsights> {
    const until = input.until?.getTime() ?? this.clock.now().getTime();
    const since = until - input.windowMs;
    const aggregates = await this.signals.aggregates({
      tenantId: input.tenantId,
      ...(input.userId !== undefined && { userId: input.userId }),
      ...(input.role !== undefined && { role: input.role }),
      since: new Date(since),
      until: new Date(until),
    });
    return summarizeInsights({ ...input, since, until }, aggregates, this.thresholds);
  }

  /** Field names of the stored base specs (PUT /api/overlays/base-specs/{capability}); 404 if one is missing. */
  async baseSpecFields(tenantId: string, capabilities: readonly string[]): Promise<Record<string, string[]>> {
    const entries: [string, string[]][] = [];
    for (const capability of new Set(capabilities)) {
      const { spec } = await this.overlays.getBaseSpec(tenantId, capability);
      entries.push([capability, (spec as { fields: { name: string }[] }).fields.map((f) => f.name)]);
    }
    // fromEntries defines own properties, so even a capability named "__proto__" stays data.
    return Object.fromEntries(entries);
  }
}
