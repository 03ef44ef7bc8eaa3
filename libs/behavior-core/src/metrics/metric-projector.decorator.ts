import { DiscoveryService } from '@nestjs/core';

/** Marks a provider implementing `BehaviorMetricProjector`; found by discovery, no central list. */
export const RegisterMetricProjector = DiscoveryService.createDecorator<Record<string, never>>();
