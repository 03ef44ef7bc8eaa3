import { DiscoveryService } from '@nestjs/core';

/** Marks a provider implementing `BehaviorAnomalyRule`. */
export const RegisterAnomalyRule = DiscoveryService.createDecorator<Record<string, never>>();
