import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes, TenantId } from '@lssm/nest-common';
import { UserInsightsDto, UserInsightsQueryDto } from './insights.dto.js';
import { UserInsightsService } from './user-insights.service.js';
import { MAX_USER_ID_LENGTH, UserIdPipe } from '../queries/user-id.pipe.js';

@ApiTags('insights')
@RequireScopes('read')
@Controller('api/ai-behavior/users')
export class InsightsController {
  constructor(private readonly insights: UserInsightsService) {}

  @Get(':userId/insights')
  @ApiOperation({
    operationId: 'listUserInsights',
    summary: "A user's precomputed insights and segment",
    description:
      'Served from behavior_insights. With ai.behavior.insights.computeOnRead on (default), a missing or ' +
      'expired insight is recomputed for this user before answering, if the user has metrics. A user ' +
      'without metrics (an id that never sent a signal, or whose signals are not projected yet) gets ' +
      'an empty `insights` list, and nothing is stored.',
  })
  @ApiParam({ name: 'userId', schema: { type: 'string', minLength: 1, maxLength: MAX_USER_ID_LENGTH } })
  @ApiOkResponse({ type: UserInsightsDto })
  async list(
    @TenantId() tenantId: string,
    @Param('userId', UserIdPipe) userId: string,
    @Query() query: UserInsightsQueryDto,
  ): Promise<UserInsightsDto> {
    const insights = await this.insights.forUser(tenantId, userId, query.insightType);
    return {
      userId,
      insights: insights.map((i) => ({
        insightType: i.insightType,
        scores: { ...i.scores },
        labels: { ...i.labels },
        segment: i.segment,
        evidence: { ...i.evidence },
        analyzedAt: i.analyzedAt,
        validUntil: i.validUntil,
      })),
    };
  }
}
