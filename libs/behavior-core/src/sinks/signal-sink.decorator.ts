import { DiscoveryService } from '@nestjs/core';

/** Marks a provider implementing `BehaviorSignalSinkFactory`; found by discovery, no central list. */
export const RegisterSignalSink = DiscoveryService.createDecorator<Record<string, never>>();
