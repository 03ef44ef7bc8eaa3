import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ApiKeyRateLimitGuard } from '../ingestion/api-key-rate-limit.guard.js';
import { RequireScopes, TenantId } from '@lssm/nest-common';
import { QueryParamReader, type RawQuery } from '../queries/query-param.reader.js';
import { DEFAULT_QUERY_LIMIT } from '../storage/signal-query.builder.js';
import { FailedSignalReplayService } from './failed-signal-replay.service.js';
import { FailedSignalRepository, MAX_FAILED_SIGNALS_PAGE } from './failed-signal.repository.js';
import { FailedSignalPageDto, ReplayRequestDto, ReplayResultDto } from './failed-signal.dto.js';

@ApiTags('failed-signals')
@ApiServiceUnavailableResponse({ description: 'Database unavailable (Retry-After)' })
@Controller('api/ai-behavior/failed-signals')
export class FailedSignalsController {
  constructor(
    @Inject(FailedSignalRepository) private readonly repository: FailedSignalRepository,
    private readonly replayService: FailedSignalReplayService,
  ) {}

  @Get()
  @RequireScopes('read')
  @ApiOperation({
    operationId: 'listFailedSignals',
    summary: 'Rejected items with their reasons, newest first',
  })
  @ApiQuery({ name: 'schemaId', required: false, type: String })
  @ApiQuery({
    name: 'start',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'Inclusive, on failedAt',
  })
  @ApiQuery({
    name: 'end',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'Exclusive, on failedAt',
  })
  @ApiQuery({ name: 'replayed', required: false, type: Boolean })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_FAILED_SIGNALS_PAGE, default: DEFAULT_QUERY_LIMIT },
  })
  @ApiQuery({ name: 'cursor', required: false, type: String })
  @ApiOkResponse({ type: FailedSignalPageDto })
  @ApiBadRequestResponse({ description: 'Bad parameter (details[])' })
  async list(@TenantId() tenantId: string, @Query() raw: RawQuery): Promise<FailedSignalPageDto> {
    const reader = new QueryParamReader(raw);
    const schemaId = reader.string('schemaId', 128);
    const start = reader.date('start');
    const end = reader.date('end');
    reader.range(start, end);
    const replayed = reader.boolean('replayed');
    const limit = reader.integer('limit', 1, MAX_FAILED_SIGNALS_PAGE) ?? DEFAULT_QUERY_LIMIT;
    const cursor = reader.cursor();
    reader.rejectUnknown();
    reader.done();
    return this.repository.list({ tenantId, schemaId, start, end, replayed, limit, cursor });
  }

  @Post('replay')
  @HttpCode(200)
  @RequireScopes('ingest')
  @UseGuards(ApiKeyRateLimitGuard)
  @ApiOperation({
    operationId: 'replayFailedSignals',
    summary: 'Re-validate failed signals against the current schemas and ingest those that pass',
    description:
      'Takes the oldest rows not yet replayed that match the filters. Items that still fail keep their ' +
      'row (with the new reasons); a replayed row is never replayed again.',
  })
  @ApiBody({ type: ReplayRequestDto, required: false })
  @ApiOkResponse({ type: ReplayResultDto })
  @ApiTooManyRequestsResponse({ description: 'Rate limited per API key (Retry-After)' })
  async replay(@TenantId() tenantId: string, @Body() body: ReplayRequestDto): Promise<ReplayResultDto> {
    const request = body ?? {};
    const start = request.start ? new Date(request.start) : undefined;
    const end = request.end ? new Date(request.end) : undefined;
    const reader = new QueryParamReader({});
    reader.range(start, end);
    reader.done();
    return this.replayService.replay(tenantId, {
      schemaId: request.schemaId,
      start,
      end,
      ids: request.ids,
      limit: request.limit,
    });
  }
}
