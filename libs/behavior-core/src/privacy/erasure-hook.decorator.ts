import { DiscoveryService } from '@nestjs/core';

/** Marks a provider implementing `BehaviorErasureHook`; found by discovery, no central list. */
export const RegisterErasureHook = DiscoveryService.createDecorator<Record<string, never>>();
