import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BEHAVIOR_ALERT_SETTINGS } from '../behavior-core.tokens.js';
import type { BehaviorAnomalyRule } from '../contracts/behavior-anomaly-rule.js';
import { collectNamedExtensions } from '../nest/named-extensions.js';
import type { ResolvedAlertSettings } from './alert-settings.js';
import { RegisterAnomalyRule } from './anomaly-rule.decorator.js';

const RULE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** The anomaly rules the enabled add-ons list, in that order; fails fast on a duplicate or unknown name. */
@Injectable()
export class AnomalyRuleRegistry implements OnModuleInit {
  private rules: BehaviorAnomalyRule[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(BEHAVIOR_ALERT_SETTINGS) private readonly settings: ResolvedAlertSettings,
  ) {}

  onModuleInit(): void {
    this.rules = collectNamedExtensions<BehaviorAnomalyRule>(
      this.discovery,
      RegisterAnomalyRule,
      'anomaly rule',
      'add-on anomalyRules',
      this.settings.rules,
      new Logger('AnomalyRuleRegistry'),
    ).active;
    for (const rule of this.rules) {
      if (!RULE_NAME.test(rule.name))
        throw new Error(`Anomaly rule name "${rule.name}" is not dotted lowercase`);
      if (rule.schemaIds.length === 0) throw new Error(`Anomaly rule "${rule.name}" names no schemaIds`);
    }
  }

  active(): readonly BehaviorAnomalyRule[] {
    return this.rules;
  }
}
