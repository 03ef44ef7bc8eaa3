import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiErrorResponses,
  badRequest,
  conflict,
  notFound,
  RequireScopes,
  TenantId,
} from '@lssm/nest-common';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import { QueryParamReader, type RawQuery } from '../queries/query-param.reader.js';
import { PostgresWebhookRepository } from './postgres-webhook.repository.js';
import { refusedAddress, webhookUrlProblem } from './webhook-address.policy.js';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookDeliveryListDto,
  WebhookListDto,
} from './webhook.dto.js';
import { newWebhookSecret } from './webhook-signature.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_WEBHOOKS_PER_TENANT = 20;

@ApiTags('webhooks')
@ApiServiceUnavailableResponse({ description: 'Database unavailable (Retry-After)' })
@Controller('api/ai-behavior/webhooks')
export class WebhooksController {
  constructor(
    @Inject(PostgresWebhookRepository) private readonly webhooks: PostgresWebhookRepository,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
  ) {}

  @Post()
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'createWebhook',
    summary: "Registers a URL that receives the tenant's alert events, signed (docs/anomalies.md#webhooks)",
  })
  @ApiBody({ type: CreateWebhookDto })
  @ApiCreatedResponse({ type: CreatedWebhookDto, description: 'The secret is shown only here' })
  @ApiErrorResponses({
    400: 'Bad body, or a refused URL (details[].code: invalid_url, unsupported_scheme, private_address, unresolvable_host)',
    409: 'Too many webhooks for the tenant (webhook_limit)',
  })
  async create(@TenantId() tenantId: string, @Body() body: CreateWebhookDto): Promise<CreatedWebhookDto> {
    await this.checkUrl(body.url);
    if ((await this.webhooks.list(tenantId)).length >= MAX_WEBHOOKS_PER_TENANT)
      throw conflict('webhook_limit', `At most ${MAX_WEBHOOKS_PER_TENANT} webhooks per tenant`);
    const secret = newWebhookSecret();
    const created = await this.webhooks.create(tenantId, {
      url: body.url,
      description: body.description ?? null,
      secret,
    });
    return { ...created, secret };
  }

  @Get()
  @RequireScopes('admin')
  @ApiOperation({ operationId: 'listWebhooks', summary: "The tenant's webhooks (without secrets)" })
  @ApiOkResponse({ type: WebhookListDto })
  async list(@TenantId() tenantId: string): Promise<WebhookListDto> {
    return { items: await this.webhooks.list(tenantId) };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'deleteWebhook',
    summary: 'Removes the webhook, its pending deliveries and log',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses({ 404: 'No such webhook for this tenant (webhook_not_found)' })
  async delete(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.webhooks.delete(tenantId, id)))
      throw notFound('webhook_not_found', `No webhook ${id}`);
  }

  @Get(':id/deliveries')
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log of one webhook, newest first: status, attempts, last error',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiErrorResponses({
    400: 'Bad parameter (details[])',
    404: 'No such webhook for this tenant (webhook_not_found)',
  })
  async deliveries(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Query() raw: RawQuery,
  ): Promise<WebhookDeliveryListDto> {
    const reader = new QueryParamReader(raw);
    const limit = reader.integer('limit', 1, 500) ?? 100;
    reader.rejectUnknown();
    reader.done();
    if (!UUID.test(id) || !(await this.webhooks.get(tenantId, id)))
      throw notFound('webhook_not_found', `No webhook ${id}`);
    return { items: await this.webhooks.deliveries(tenantId, id, limit) };
  }

  private async checkUrl(raw: string): Promise<void> {
    const problem = webhookUrlProblem(raw);
    if (problem) throw badRequest('invalid_webhook_url', problem.message, [{ path: 'url', ...problem }]);
    if (this.options.settings.webhooks.allowPrivateNetworks) return;
    let refused: string | null;
    try {
      refused = await refusedAddress(new URL(raw));
    } catch {
      throw badRequest('invalid_webhook_url', 'the host does not resolve', [
        { path: 'url', code: 'unresolvable_host', message: 'the host does not resolve' },
      ]);
    }
    if (refused)
      throw badRequest('invalid_webhook_url', `the URL reaches a private address (${refused})`, [
        {
          path: 'url',
          code: 'private_address',
          message: `resolves to ${refused}: private, loopback and link-local addresses are refused`,
        },
      ]);
  }
}
