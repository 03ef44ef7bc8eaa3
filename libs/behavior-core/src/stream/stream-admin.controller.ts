import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
import { RequireAdminKey } from '@lssm/nest-common';
import { QueryParamReader, type RawQuery } from '../queries/query-param.reader.js';
import { SignalSinkConsumer } from '../sinks/signal-sink.consumer.js';
import { MAX_PARKED_PAGE, ParkedSignalRepository } from './parked-signal.repository.js';
import { ParkedSignalReplayService } from './parked-signal-replay.service.js';
import { SignalConsumerRegistry } from './signal-consumer.registry.js';
import {
  ConsumerListDto,
  ParkedReplayResultDto,
  ParkedSignalPageDto,
  type ConsumerStatusDto,
} from './stream-admin.dto.js';
import { StreamStatusRepository } from './stream-status.repository.js';

/** Operators' view of the signal stream: every consumer's position per partition, parked signals. */
@ApiTags('admin')
@RequireAdminKey()
@ApiServiceUnavailableResponse({ description: 'Database unavailable (Retry-After)' })
@Controller('api/admin/consumers')
export class StreamAdminController {
  constructor(
    private readonly consumers: SignalConsumerRegistry,
    private readonly status: StreamStatusRepository,
    private readonly parked: ParkedSignalRepository,
    private readonly replays: ParkedSignalReplayService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listConsumers',
    summary: 'Signal-stream consumers: lag, owner and last error per partition',
  })
  @ApiOkResponse({ type: ConsumerListDto })
  async list(): Promise<ConsumerListDto> {
    const all = this.consumers.all();
    const rows = await this.status.status(all.map((c) => c.name));
    const items: ConsumerStatusDto[] = all.map((consumer) => {
      const partitions = rows.filter((r) => r.consumer === consumer.name);
      return {
        name: consumer.name,
        delivery: consumer.delivery,
        signalsConsumed: partitions.reduce((n, p) => n + p.signalsConsumed, 0),
        lagSignals: partitions.reduce((n, p) => n + p.lagSignals, 0),
        lagSeconds: partitions.reduce((n, p) => Math.max(n, p.lagSeconds), 0),
        failures: partitions.reduce((n, p) => n + p.failures, 0),
        failingSince: partitions.reduce<string | null>(
          (min, p) => (p.failingSince && (!min || p.failingSince < min) ? p.failingSince : min),
          null,
        ),
        parked: partitions.reduce((n, p) => n + p.parked, 0),
        sinkType: consumer instanceof SignalSinkConsumer ? consumer.options.type : null,
        partitions: partitions.map(({ consumer: _c, ...partition }) => partition),
      };
    });
    return { items };
  }

  @Get(':name/parked')
  @ApiOperation({ operationId: 'listParkedSignals', summary: 'Signals a consumer set aside, oldest first' })
  @ApiParam({ name: 'name', example: 'metrics' })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'replayed'] })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_PARKED_PAGE, default: MAX_PARKED_PAGE },
  })
  @ApiQuery({ name: 'cursor', required: false, type: String })
  @ApiOkResponse({ type: ParkedSignalPageDto })
  @ApiBadRequestResponse({ description: 'Bad parameter (details[])' })
  @ApiNotFoundResponse({ description: 'No such consumer' })
  async listParked(@Param('name') name: string, @Query() raw: RawQuery): Promise<ParkedSignalPageDto> {
    this.replays.consumer(name);
    const reader = new QueryParamReader(raw);
    const status = reader.string('status', 16);
    if (status !== undefined && status !== 'pending' && status !== 'replayed') {
      reader.issue('status', 'invalid_value', 'one of pending, replayed');
    }
    const limit = reader.integer('limit', 1, MAX_PARKED_PAGE) ?? MAX_PARKED_PAGE;
    const cursor = reader.cursor();
    reader.rejectUnknown();
    reader.done();
    return this.parked.list(name, {
      limit,
      cursor,
      pending: status === undefined ? undefined : status === 'pending',
    });
  }

  @Post(':name/parked/replay')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'replayParkedSignals',
    summary: 'Hand the oldest pending parked signals back to their consumer (after fixing it)',
  })
  @ApiParam({ name: 'name', example: 'metrics' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_PARKED_PAGE, default: MAX_PARKED_PAGE },
  })
  @ApiOkResponse({ type: ParkedReplayResultDto })
  @ApiBadRequestResponse({ description: 'Bad parameter (details[])' })
  @ApiNotFoundResponse({ description: 'No such consumer' })
  async replay(@Param('name') name: string, @Query() raw: RawQuery): Promise<ParkedReplayResultDto> {
    const reader = new QueryParamReader(raw);
    const limit = reader.integer('limit', 1, MAX_PARKED_PAGE) ?? MAX_PARKED_PAGE;
    reader.rejectUnknown();
    reader.done();
    return this.replays.replay(name, limit);
  }
}
