import { DiscoveryService } from '@nestjs/core';

/** Marks a provider implementing `SegmentationStrategy`. */
export const RegisterSegmentationStrategy = DiscoveryService.createDecorator<Record<string, never>>();
