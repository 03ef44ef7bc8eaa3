import { DiscoveryService } from '@nestjs/core';

/** Marks a provider implementing `BehaviorInsightStrategy`. */
export const RegisterInsightStrategy = DiscoveryService.createDecorator<Record<string, never>>();
