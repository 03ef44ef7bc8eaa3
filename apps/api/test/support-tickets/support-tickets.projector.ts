import { Inject, Injectable } from '@nestjs/common';
import {
  RegisterMetricProjector,
  type BehaviorMetricProjector,
  type BehaviorSignal,
  type MetricAccumulator,
} from '@lssm/behavior-core';
import { SUPPORT_TICKETS_OPTIONS, type SupportTicketsOptions } from './support-tickets.options';

/** Tickets opened per user and day, and how many of them were urgent. */
@RegisterMetricProjector()
@Injectable()
export class SupportTicketsProjector implements BehaviorMetricProjector {
  readonly name = 'support-tickets';

  constructor(@Inject(SUPPORT_TICKETS_OPTIONS) private readonly options: SupportTicketsOptions) {}

  supports(signal: BehaviorSignal): boolean {
    return signal.schemaId === 'support.ticket.opened';
  }

  project(signal: BehaviorSignal, _definition: unknown, acc: MetricAccumulator): void {
    acc.count('support.tickets_opened');
    if ((this.options.urgentPriorities ?? ['urgent']).includes(String(signal.attributes.priority)))
      acc.count('support.urgent_tickets');
  }
}
