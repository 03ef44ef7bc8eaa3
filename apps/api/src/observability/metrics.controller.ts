import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@lssm/nest-common';
import { TELEMETRY } from '../api.tokens.js';
import type { Telemetry } from './telemetry.js';

@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(@Inject(TELEMETRY) private readonly telemetry: Telemetry) {}

  @Get('metrics')
  @Public()
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics (OpenTelemetry)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  metrics(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    reply.hijack();
    this.telemetry.exporter.getMetricsRequestHandler(request.raw, reply.raw);
  }
}
