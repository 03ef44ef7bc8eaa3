import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponses, notFound, RequireScopes, TenantId } from '@lssm/nest-common';
import { QueryParamReader, type RawQuery } from '../queries/query-param.reader.js';
import { MAX_USER_ID_LENGTH } from '../queries/user-id.pipe.js';
import { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT } from '../storage/signal-query.builder.js';
import { AlertDto, AlertPageDto, UpdateAlertDto } from './alert.dto.js';
import { AlertLifecycleService } from './alert-lifecycle.service.js';
import { ALERT_SEVERITIES } from './alert-severity.js';
import { ALERT_STATUSES, PostgresAlertRepository } from './postgres-alert.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('alerts')
@ApiServiceUnavailableResponse({ description: 'Database unavailable (Retry-After)' })
@Controller('api/ai-behavior/alerts')
export class AlertsController {
  constructor(
    @Inject(PostgresAlertRepository) private readonly alerts: PostgresAlertRepository,
    @Inject(AlertLifecycleService) private readonly lifecycle: AlertLifecycleService,
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
  @ApiQuery({ name: 'status', required: false, enum: ALERT_STATUSES })
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
    const status = oneOf(reader, 'status', ALERT_STATUSES);
    const start = reader.date('start');
    const end = reader.date('end');
    reader.range(start, end);
    const limit = reader.integer('limit', 1, MAX_QUERY_LIMIT) ?? DEFAULT_QUERY_LIMIT;
    const cursor = reader.cursor();
    reader.rejectUnknown();
    reader.done();
    return this.alerts.list({ tenantId, userId, rule, severity, status, start, end, limit, cursor });
  }

  @Patch(':id')
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'updateAlert',
    summary: 'Acknowledge or resolve an alert (open → acknowledged → resolved)',
    description:
      'Asking for the current state changes nothing. Webhooks hear alert.acknowledged / alert.resolved. ' +
      'A resolved alert of a core detector whose condition persists opens a new alert at the next interval.',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiBody({ type: UpdateAlertDto })
  @ApiOkResponse({ type: AlertDto })
  @ApiErrorResponses({
    400: 'Bad body (details[])',
    404: 'No such alert for this tenant (alert_not_found)',
    409: 'The alert is past that state (invalid_alert_transition)',
  })
  async update(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Body() body: UpdateAlertDto,
  ): Promise<AlertDto> {
    if (!UUID.test(id)) throw notFound('alert_not_found', `No alert ${id}`);
    return this.lifecycle.move(tenantId, id, body.status);
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
    if (!UUID.test(id)) throw notFound('alert_not_found', `No alert ${id}`);
    return this.lifecycle.move(tenantId, id, 'resolved');
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
