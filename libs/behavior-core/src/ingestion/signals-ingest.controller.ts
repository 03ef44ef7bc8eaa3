import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
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
import { badRequest, DomainError, RequireScopes, TenantId, unprocessable } from '@lssm/nest-common';
import { ApiKeyRateLimitGuard } from './api-key-rate-limit.guard.js';
import { BatchResultDto, SignalAcceptedDto, SignalBatchDto, SignalEnvelopeDto } from './signal.dto.js';
import { SignalIngestionService } from './signal-ingestion.service.js';

@ApiTags('signals')
@RequireScopes('ingest')
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
  @ApiUnprocessableEntityResponse({ description: 'Schema violation, with details[]' })
  async ingestOne(
    @TenantId() tenantId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SignalAcceptedDto> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('invalid_envelope', 'The body must be a signal object');
    }
    const [result] = await this.ingestion.ingest(tenantId, [body]);
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
  })
  @ApiBody({ type: SignalBatchDto })
  @ApiOkResponse({ type: BatchResultDto })
  @ApiPayloadTooLargeResponse({ description: 'More signals than ai.behavior.ingestion.maxBatchSize' })
  async ingestBatch(@TenantId() tenantId: string, @Body() body: unknown): Promise<BatchResultDto> {
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
    const results = await this.ingestion.ingest(tenantId, signals);
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
}
