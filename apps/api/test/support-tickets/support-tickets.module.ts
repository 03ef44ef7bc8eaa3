import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { SUPPORT_TICKETS_OPTIONS, type SupportTicketsOptions } from './support-tickets.options';
import { SupportTicketsProjector } from './support-tickets.projector';

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<SupportTicketsOptions>({
  optionsInjectionToken: SUPPORT_TICKETS_OPTIONS,
})
  .setClassMethodName('forRoot')
  .build();

@Module({ providers: [SupportTicketsProjector] })
export class SupportTicketsModule extends ConfigurableModuleClass {}
