import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes, TenantId } from '../nest/auth.decorators.js';
import { UserInsightsDto, UserInsightsQueryDto } from './insights.dto.js';
import { UserInsightsService } from './user-insights.service.js';

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
      'expired insight is recomputed for this user before answering.',
  })
  @ApiParam({ name: 'userId' })
  @ApiOkResponse({ type: UserInsightsDto })
  async list(
    @TenantId() tenantId: string,
    @Param('userId') userId: string,
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
