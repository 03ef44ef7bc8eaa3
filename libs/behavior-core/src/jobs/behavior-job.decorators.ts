import { DiscoveryService } from '@nestjs/core';

/** Names a job handler: on a provider method, or on a class implementing `BehaviorJobHandlerInstance`. */
export const BehaviorJobHandler = DiscoveryService.createDecorator<string>();

/** Marks a provider implementing `ScheduledTaskSource`. */
export const BehaviorScheduledTasks = DiscoveryService.createDecorator<Record<string, never>>();
