import { join } from 'node:path';
import type { BehaviorAddOnDefinition } from '@lssm/behavior-core';
import { Migration20261203000000_support_tickets } from './Migration20261203000000_support_tickets';
import { SupportTicketsModule } from './support-tickets.module';
import { SUPPORT_TICKETS_OPTIONS_SCHEMA, type SupportTicketsOptions } from './support-tickets.options';

/** A second add-on that lives only in the tests: the app's sources never name it. */
export const supportTicketsAddOn: BehaviorAddOnDefinition<SupportTicketsOptions> = {
  name: 'supportTickets',
  optionsSchema: SUPPORT_TICKETS_OPTIONS_SCHEMA,
  defaults: { urgentPriorities: ['urgent'] },
  migrations: [
    { name: 'Migration20261203000000_support_tickets', class: Migration20261203000000_support_tickets },
  ],
  create: (options) => ({
    name: 'supportTickets',
    module: SupportTicketsModule.forRoot(options),
    schemaDirs: [join(__dirname, 'schemas')],
    metricProjectors: ['support-tickets'],
  }),
};
