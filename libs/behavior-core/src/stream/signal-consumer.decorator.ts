import { DiscoveryService } from '@nestjs/core';

/** Marks a provider implementing `BehaviorSignalConsumer`; found by discovery, no central list. */
export const RegisterSignalConsumer = DiscoveryService.createDecorator<Record<string, never>>();
