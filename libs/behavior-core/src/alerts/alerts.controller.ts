import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CLOCK } from '../behavior-core.tokens.js';
import type { Clock } from '../contracts/behavior-core-options.js';
import { notFound, RequireScopes, TenantId } from '@lssm/nest-common';
import { QueryParamReader, type RawQuery } from '../queries/query-param.reader.js';
import { MAX_USER_ID_LENGTH } from '../queries/user-id.pipe.js';
import { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT } from '../storage/signal-query.builder.js';
import { AlertDto, AlertPageDto } from './alert.dto.js';
import { ALERT_SEVERITIES } from './alert-severity.js';
import { PostgresAlertRepository } from './postgres-alert.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('alerts')
@ApiServiceUnavailableResponse({ description: 'Database unavailable (Retry-After)' })
@Controller('api/ai-behavior/alerts')
export class AlertsController {
  constructor(
    @Inject(PostgresAlertRepository) private readonly alerts: PostgresAlertRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @RequireScopes('read')
  @ApiOperation({
    operationId: 'listAlerts',
    summary: 'Alerts raised by the anomaly rules, newest first (one per incident)',
  })
  @ApiQuery({ name: 'userId', required: false, type: String })
  @ApiQuery({ name: 'rule', required: false, type: String })
  @ApiQuery({ name: 'severity', required: false, enum: ALERT_SEVERITIES })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'resolved'] })
  @ApiQuery({
    name: 'start',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'Inclusive, on createdAt',
  })
  @ApiQuery({
    name: 'end',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'Exclusive, on createdAt',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_QUERY_LIMIT, default: DEFAULT_QUERY_LIMIT },
  })
  @ApiQuery({ name: 'cursor', required: false, type: String })
  @ApiOkResponse({ type: AlertPageDto })
  @ApiBadRequestResponse({ description: 'Bad parameter (details[])' })
  async list(@TenantId() tenantId: string, @Query() raw: RawQuery): Promise<AlertPageDto> {
    const reader = new QueryParamReader(raw);
    const userId = reader.string('userId', MAX_USER_ID_LENGTH);
    const rule = reader.string('rule', 128);
    const severity = oneOf(reader, 'severity', ALERT_SEVERITIES);
    const status = oneOf(reader, 'status', ['open', 'resolved'] as const);
    const start = reader.date('start');
    const end = reader.date('end');
    reader.range(start, end);
    const limit = reader.integer('limit', 1, MAX_QUERY_LIMIT) ?? DEFAULT_QUERY_LIMIT;
    const cursor = reader.cursor();
    reader.rejectUnknown();
    reader.done();
    return this.alerts.list({ tenantId, userId, rule, severity, status, start, end, limit, cursor });
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'resolveAlert',
    summary: 'Mark an alert resolved (idempotent: the first resolution time is kept)',
    description: 'A resolved incident stays deduplicated: seeing it again raises no new alert.',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: AlertDto })
  @ApiNotFoundResponse({ description: 'No such alert for this tenant' })
  async resolve(@TenantId() tenantId: string, @Param('id') id: string): Promise<AlertDto> {
    const alert = UUID.test(id) ? await this.alerts.resolve(tenantId, id, this.clock.now()) : null;
    if (!alert) throw notFound('alert_not_found', `No alert ${id}`);
    return alert;
  }
}

function oneOf<T extends string>(
  reader: QueryParamReader,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = reader.string(name, 32);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    reader.issue(name, 'invalid_value', `one of ${allowed.join(', ')}`);
    return undefined;
  }
  return value as T;
}
