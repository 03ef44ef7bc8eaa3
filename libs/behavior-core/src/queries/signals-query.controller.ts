import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
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
import { BEHAVIOR_DATA_PROVIDER } from '../behavior-core.tokens.js';
import type { BehaviorDataProvider } from '../contracts/behavior-data-provider.js';
import type { BehaviorSignal } from '../contracts/behavior-signal.js';
import { notFound, RequireScopes, TenantId } from '@lssm/nest-common';
import { ATTRIBUTE_NAME_PATTERN } from '../schema/schema-naming.rules.js';
import { MAX_QUERY_LIMIT } from '../storage/signal-query.builder.js';
import { BehaviorSignalDto, BehaviorSignalPageDto } from './behavior-signal.dto.js';
import type { RawQuery } from './query-param.reader.js';
import { parseSignalQuery } from './signal-query.parser.js';
import { MAX_USER_ID_LENGTH, UserIdPipe } from './user-id.pipe.js';

// A separate controller from ingestion: other scope (read), no ingestion rate limit.
@ApiTags('signals')
@RequireScopes('read')
@ApiServiceUnavailableResponse({ description: 'Database unavailable (Retry-After)' })
@Controller('api/ai-behavior')
export class SignalsQueryController {
  constructor(@Inject(BEHAVIOR_DATA_PROVIDER) private readonly provider: BehaviorDataProvider) {}

  @Get('users/:userId/signals')
  @ApiOperation({
    operationId: 'listUserSignals',
    summary: "A user's signals, newest first, with cursor paging",
    description:
      'Attribute filters: `attr.<name>=<value>` matches text, numbers (numerically) and booleans; ' +
      '`attr.<name>[gte|gt|lte|lt]=<number>` compares JSON numbers only (other values never match). ' +
      'Several filters all have to hold. Unknown parameters are rejected.',
  })
  @ApiParam({ name: 'userId', schema: { type: 'string', minLength: 1, maxLength: MAX_USER_ID_LENGTH } })
  @ApiQuery({ name: 'schemaId', required: false, type: String })
  @ApiQuery({
    name: 'start',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'Inclusive; ISO 8601 date or date-time with zone',
  })
  @ApiQuery({
    name: 'end',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'Exclusive; ISO 8601 date or date-time with zone',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_QUERY_LIMIT, default: 50 },
  })
  @ApiQuery({ name: 'cursor', required: false, type: String, description: 'nextCursor of the previous page' })
  // One object parameter in form style with explode: each property is sent as its own
  // `key=value` pair under its own name, which is exactly the wire form the parser reads, and a
  // generated client types it (openapi-typescript: a string-keyed record of scalars).
  @ApiQuery({
    name: 'filters',
    required: false,
    style: 'form',
    explode: true,
    schema: {
      type: 'object',
      additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
      example: { 'attr.country': 'DE', 'attr.amount[gte]': 10, 'attr.amount[lt]': 100 },
    },
    description:
      'Attribute filters, each sent as its own query parameter (the name `filters` is not sent): ' +
      'keys `attr.<name>` (equals) or `attr.<name>[gte|gt|lte|lt]` (compares JSON numbers), ' +
      `\`<name>\` matching ${ATTRIBUTE_NAME_PATTERN.source}; all must hold.`,
  })
  @ApiOkResponse({ type: BehaviorSignalPageDto })
  @ApiBadRequestResponse({
    description: 'Bad date, limit, cursor, filter or an unknown parameter (details[])',
  })
  async listUserSignals(
    @TenantId() tenantId: string,
    @Param('userId', UserIdPipe) userId: string,
    @Query() raw: RawQuery,
  ): Promise<BehaviorSignalPageDto> {
    const page = await this.provider.query({ tenantId, userId, ...parseSignalQuery(raw) });
    return { items: page.items.map(toSignalDto), nextCursor: page.nextCursor };
  }

  @Get('signals/:id')
  @ApiOperation({ operationId: 'getSignal', summary: 'One signal of the caller’s tenant' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BehaviorSignalDto })
  @ApiNotFoundResponse({ description: 'No such signal for this tenant' })
  async getSignal(@TenantId() tenantId: string, @Param('id') id: string): Promise<BehaviorSignalDto> {
    const signal = await this.provider.findById(tenantId, id);
    // Another tenant's signal gets the same answer as a missing one: ids reveal nothing.
    if (!signal) throw notFound('signal_not_found', 'Signal not found');
    return toSignalDto(signal);
  }
}

export function toSignalDto(signal: BehaviorSignal): BehaviorSignalDto {
  return {
    id: signal.id,
    userId: signal.userId,
    sessionId: signal.sessionId,
    schemaId: signal.schemaId,
    schemaVersion: signal.schemaVersion,
    signalKey: signal.signalKey,
    source: signal.source,
    timestamp: signal.timestamp,
    ingestedAt: signal.ingestedAt,
    attributes: { ...signal.attributes },
  };
}
