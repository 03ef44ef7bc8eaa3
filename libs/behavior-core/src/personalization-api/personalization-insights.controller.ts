import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { RequireScopes, TenantId } from '@lssm/nest-common';
import {
  PersonalizationInsightsDto,
  PersonalizationInsightsQueryDto,
} from './personalization-insights.dto.js';
import {
  DEFAULT_INSIGHTS_WINDOW_MS,
  PersonalizationInsightsService,
} from './personalization-insights.service.js';

@ApiTags('personalization')
@Controller('api/personalization')
export class PersonalizationInsightsController {
  constructor(private readonly insights: PersonalizationInsightsService) {}

  @Get('insights')
  @RequireScopes('read')
  @ApiOperation({
    operationId: 'getPersonalizationInsights',
    summary: 'Field, workflow-step and layout insights over the stored personalization signals',
    description:
      'The analysis of `BehaviorAnalyzer` (docs/personalization.md#definitions, default thresholds) ' +
      "computed by Postgres over the caller tenant's `personalization.*` signals in the window: tenant-wide, " +
      'or narrowed to one user and/or role. Same result shape and values as the analyzer on the same events.',
  })
  @ApiOkResponse({ type: PersonalizationInsightsDto })
  @ApiBadRequestResponse({ description: 'Bad parameter (details[])' })
  @ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key' })
  @ApiForbiddenResponse({ description: 'The key lacks the `read` scope' })
  @ApiNotFoundResponse({ description: 'A `capability` has no stored base spec (code base_spec_not_found)' })
  @ApiServiceUnavailableResponse({ description: 'Database unavailable (Retry-After)' })
  async get(
    @TenantId() tenantId: string,
    @Query() query: PersonalizationInsightsQueryDto,
  ): Promise<PersonalizationInsightsDto> {
    const fields = query.capability?.length
      ? await this.insights.baseSpecFields(tenantId, query.capability)
      : undefined;
    return this.insights.analyze({
      tenantId,
      ...(query.userId !== undefined && { userId: query.userId }),
      ...(query.role !== undefined && { role: query.role }),
      windowMs: query.windowMs ?? DEFAULT_INSIGHTS_WINDOW_MS,
      ...(query.until !== undefined && { until: new Date(query.until) }),
      ...(fields && { fields }),
    });
  }
}
