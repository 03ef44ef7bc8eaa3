import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { badRequest, RequireScopes, TenantId } from '@lssm/nest-common';
import { UserMetricsDto, UserMetricsQueryDto } from './metrics.dto.js';
import { UserMetricsService } from './user-metrics.service.js';
import { isCalendarDate } from '../queries/query-param.reader.js';
import { MAX_USER_ID_LENGTH, UserIdPipe } from '../queries/user-id.pipe.js';

@ApiTags('metrics')
@RequireScopes('read')
@Controller('api/ai-behavior/users')
export class MetricsController {
  constructor(private readonly metrics: UserMetricsService) {}

  @Get(':userId/metrics')
  @ApiOperation({
    operationId: 'listUserMetrics',
    summary: "A user's precomputed daily metrics (at most 10,000 rows)",
  })
  @ApiParam({ name: 'userId', schema: { type: 'string', minLength: 1, maxLength: MAX_USER_ID_LENGTH } })
  @ApiOkResponse({ type: UserMetricsDto })
  @ApiBadRequestResponse({ description: 'Bad date or key (details[])' })
  async list(
    @TenantId() tenantId: string,
    @Param('userId', UserIdPipe) userId: string,
    @Query() query: UserMetricsQueryDto,
  ): Promise<UserMetricsDto> {
    for (const name of ['startDate', 'endDate'] as const) {
      const value = query[name];
      if (value !== undefined && !isCalendarDate(value)) {
        throw badRequest('invalid_request', 'The request is invalid', [
          { path: name, code: 'invalid_date', message: `${name} is not a calendar date` },
        ]);
      }
    }
    if (query.startDate && query.endDate && query.startDate > query.endDate) {
      throw badRequest('invalid_request', 'startDate is after endDate', [
        { path: 'startDate', code: 'invalid_range', message: 'startDate must not be after endDate' },
      ]);
    }
    const metrics = await this.metrics.list({ tenantId, userId, ...query });
    return { userId, metrics: metrics.map((m) => ({ ...m, attributes: { ...m.attributes } })) };
  }
}
