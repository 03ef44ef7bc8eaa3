import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import {
  AllowPublishableKey,
  badRequest,
  CurrentPrincipal,
  DomainError,
  RequireScopes,
  TenantId,
  unprocessable,
  type Principal,
} from '@lssm/nest-common';
import { ApiKeyRateLimitGuard } from './api-key-rate-limit.guard.js';
import { BatchResultDto, SignalAcceptedDto, SignalBatchDto, SignalEnvelopeDto } from './signal.dto.js';
import { SignalIngestionService, type IngestItemResult } from './signal-ingestion.service.js';

@ApiTags('signals')
@RequireScopes('ingest')
@AllowPublishableKey()
@UseGuards(ApiKeyRateLimitGuard)
@ApiTooManyRequestsResponse({ description: 'Rate limited per API key (Retry-After)' })
@ApiServiceUnavailableResponse({ description: 'Database unavailable; nothing stored (Retry-After)' })
@Controller('api/ai-behavior/signals')
export class SignalsIngestController {
  constructor(
    private readonly ingestion: SignalIngestionService,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'ingestSignal', summary: 'Ingest one signal' })
  @ApiBody({ type: SignalEnvelopeDto })
  @ApiCreatedResponse({ type: SignalAcceptedDto, description: 'Stored' })
  @ApiOkResponse({ type: SignalAcceptedDto, description: 'A repeat of a known signalKey: nothing stored' })
  @ApiUnprocessableEntityResponse({
    description:
      'Schema violation, with details[]; schema_not_allowed for a schema a publishable key does not list; ' +
      'user_suppressed for a user whose data was erased (docs/privacy.md)',
  })
  @ApiForbiddenResponse({
    description: 'A publishable key from an origin it does not list (origin_not_allowed)',
  })
  async ingestOne(
    @TenantId() tenantId: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SignalAcceptedDto> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('invalid_envelope', 'The body must be a signal object');
    }
    const refused = schemaRefusal(principal, body);
    if (refused) throw unprocessable(refused.code, refused.message, [{ path: 'schemaId', ...refused }]);
    const [result] = await this.ingestion.ingest(tenantId, [body]);
    if (result.status === 'rejected' && result.errors?.[0]?.code === 'user_suppressed') {
      throw unprocessable('user_suppressed', result.errors[0].message, result.errors);
    }
    if (result.status === 'rejected') {
      throw unprocessable(
        'validation_failed',
        result.errorCount === undefined
          ? 'The signal does not match its schema'
          : `The signal does not match its schema (${result.errorCount} problems; the first ${result.errors!.length} are listed)`,
        result.errors,
      );
    }
    reply.status(result.status === 'accepted' ? HttpStatus.CREATED : HttpStatus.OK);
    return { id: result.id!, status: result.status };
  }

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'ingestSignalBatch',
    summary: 'Ingest a batch; valid items are stored even when others are rejected',
    description:
      'Each item is answered on its own: a rejected item lists its errors (an erased, suppressed user: ' +
      'code user_suppressed on path userId).',
  })
  @ApiBody({ type: SignalBatchDto })
  @ApiOkResponse({ type: BatchResultDto })
  @ApiPayloadTooLargeResponse({ description: 'More signals than ai.behavior.ingestion.maxBatchSize' })
  @ApiForbiddenResponse({
    description: 'A publishable key from an origin it does not list (origin_not_allowed)',
  })
  async ingestBatch(
    @TenantId() tenantId: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<BatchResultDto> {
    const signals = (body as { signals?: unknown } | null)?.signals;
    if (
      typeof body !== 'object' ||
      body === null ||
      !Array.isArray(signals) ||
      Object.keys(body).length !== 1
    ) {
      throw badRequest('invalid_envelope', 'The body must be { "signals": [ ... ] }');
    }
    if (signals.length === 0) throw badRequest('empty_batch', 'The batch is empty');
    const max = this.options.settings.ingestion.maxBatchSize;
    if (signals.length > max) {
      throw new DomainError({
        status: 413,
        code: 'batch_too_large',
        message: `A batch holds at most ${max} signals (got ${signals.length})`,
      });
    }
    const results = await this.ingestRestricted(tenantId, principal, signals);
    let accepted = 0;
    let duplicates = 0;
    let rejected = 0;
    for (const r of results) {
      if (r.status === 'accepted') accepted++;
      else if (r.status === 'duplicate') duplicates++;
      else rejected++;
    }
    return { accepted, duplicates, rejected, results };
  }

  /** Items naming a schema the key does not list are rejected each on its own; the rest go on. */
  private async ingestRestricted(
    tenantId: string,
    principal: Principal,
    signals: readonly unknown[],
  ): Promise<IngestItemResult[]> {
    const results: IngestItemResult[] = new Array(signals.length);
    const passing: unknown[] = [];
    const passingIndex: number[] = [];
    signals.forEach((signal, index) => {
      const refused = schemaRefusal(principal, signal);
      if (refused) {
        results[index] = { index, status: 'rejected', errors: [{ path: 'schemaId', ...refused }] };
      } else {
        passing.push(signal);
        passingIndex.push(index);
      }
    });
    if (passing.length === 0) return results;
    const ingested = await this.ingestion.ingest(tenantId, passing);
    ingested.forEach((result, i) => {
      const index = passingIndex[i];
      results[index] = { ...result, index };
    });
    return results;
  }
}

/** A publishable key bound to schemas refuses an item naming another (or none it can read). */
function schemaRefusal(principal: Principal, item: unknown): { code: string; message: string } | null {
  const allowed = principal.kind === 'tenant' ? principal.allowedSchemas : undefined;
  if (!allowed) return null;
  const schemaId =
    typeof item === 'object' && item !== null ? (item as { schemaId?: unknown }).schemaId : undefined;
  if (typeof schemaId === 'string' && allowed.includes(schemaId)) return null;
  return {
    code: 'schema_not_allowed',
    message: `This key may only send the schemas: ${allowed.join(', ')}`.slice(0, 500),
  };
}
