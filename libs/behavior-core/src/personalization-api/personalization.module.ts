import { Module } from '@nestjs/common';
import { PersonalizationInsightsController } from './personalization-insights.controller.js';
import { PersonalizationInsightsService } from './personalization-insights.service.js';
import { PersonalizationSignalsRepository } from './personalization-signals.repository.js';
import { PersonalizationSuggestionsController } from './personalization-suggestions.controller.js';
import { PersonalizationSuggestionsService } from './personalization-suggestions.service.js';

/**
 * `/api/personalization`: server-side insights over the stored `personalization.*` signals and
 * suggestions stored as overlay drafts. It injects the one DatabasePool, core's clock and the
 * overlay service, so the host imports DatabaseModule, BehaviorCoreModule and OverlayModule
 * globally (`isGlobal: true`), one instance each.
 */
@Module({
  controllers: [PersonalizationInsightsController, PersonalizationSuggestionsController],
  providers: [
    PersonalizationSignalsRepository,
    PersonalizationInsightsService,
    PersonalizationSuggestionsService,
  ],
  exports: [PersonalizationInsightsService, PersonalizationSuggestionsService],
})
export class PersonalizationModule {}
