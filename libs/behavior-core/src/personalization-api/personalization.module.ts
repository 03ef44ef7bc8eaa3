import { Module } from '@nestjs/common';
import { PersonalizationHost } from './personalization-host.provider.js';
import { PersonalizationInsightsController } from './personalization-insights.controller.js';
import { PersonalizationInsightsService } from './personalization-insights.service.js';
import { PersonalizationSignalsRepository } from './personalization-signals.repository.js';
import { PersonalizationSuggestionsController } from './personalization-suggestions.controller.js';
import { PersonalizationSuggestionsService } from './personalization-suggestions.service.js';

/**
 * `/api/personalization`: server-side insights over the stored `personalization.*` signals and
 * suggestions stored as overlay drafts. Import it next to BehaviorCoreModule.forRoot and
 * OverlayModule.forRoot, whose providers it uses (see PersonalizationHost).
 */
@Module({
  controllers: [PersonalizationInsightsController, PersonalizationSuggestionsController],
  providers: [
    PersonalizationHost,
    PersonalizationSignalsRepository,
    PersonalizationInsightsService,
    PersonalizationSuggestionsService,
  ],
  exports: [PersonalizationInsightsService, PersonalizationSuggestionsService],
})
export class PersonalizationModule {}
