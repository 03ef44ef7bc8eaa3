import { Body, Controller, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { RequireScopes, TenantId } from '@lssm/nest-common';
import {
  CreatePersonalizationSuggestionDto,
  PersonalizationSuggestionDto,
} from './personalization-suggestions.dto.js';
import { PersonalizationSuggestionsService } from './personalization-suggestions.service.js';

/** The reply's status is all the handler sets; typed structurally to keep Fastify out of the lib. */
interface StatusReply {
  status(code: number): unknown;
}

@ApiTags('personalization')
@ApiExtraModels(PersonalizationSuggestionDto)
@Controller('api/personalization')
export class PersonalizationSuggestionsController {
  constructor(private readonly suggestions: PersonalizationSuggestionsService) {}

  @Post('suggestions')
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'createPersonalizationSuggestion',
    summary: 'Analyze the stored signals and store the overlay suggestion as a draft, ready to sign',
    description:
      'Runs the insights analysis (as GET /api/personalization/insights) and turns it into an overlay for ' +
      '`capability` (insightsToOverlaySuggestion: hide rarely used fields never edited, put the most used ' +
      'first), stored through the overlay service as an unsigned draft. Nothing is published until an ' +
      'admin signs the draft. With `workflows`, workflow tweaks for bottleneck steps are returned as well.',
  })
  @ApiCreatedResponse({
    type: PersonalizationSuggestionDto,
    description: 'A draft was stored (draft_created)',
  })
  @ApiOkResponse({
    type: PersonalizationSuggestionDto,
    description: 'draft_updated (replaceDraft), workflow_tweaks_only or nothing_to_suggest (draft null)',
  })
  @ApiBadRequestResponse({ description: 'Bad request body (details[])' })
  @ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key' })
  @ApiForbiddenResponse({ description: 'The key lacks the `admin` scope' })
  @ApiConflictResponse({ description: 'The overlay already has an unsigned draft (code draft_exists)' })
  @ApiUnprocessableEntityResponse({
    description:
      'Invalid workflow base spec (invalid_workflow) or overlay (invalid_overlay, reserved_overlay_id)',
  })
  @ApiServiceUnavailableResponse({ description: 'Database unavailable (Retry-After)' })
  async create(
    @TenantId() tenantId: string,
    @Body() body: CreatePersonalizationSuggestionDto,
    @Res({ passthrough: true }) reply: StatusReply,
  ): Promise<PersonalizationSuggestionDto> {
    const result = await this.suggestions.suggest(tenantId, body);
    reply.status(result.outcome === 'draft_created' ? 201 : 200);
    return result;
  }
}
