import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator.js';
import { ApiErrorResponses, badRequest, notFound, RequireAdminKey } from '@lssm/nest-common';
import { ErasureAcceptedDto, ErasureService } from '@lssm/behavior-core';
import { PublishableOrigins } from '../auth/publishable-origins.js';
import { TenancyService, type NewApiKey } from '../tenancy/tenancy.service.js';
import {
  AdminListQueryDto,
  ApiKeyDto,
  CreateApiKeyDto,
  CreateTenantDto,
  CreatedApiKeyDto,
  MAX_ADMIN_PAGE,
  TenantDto,
} from './admin.dto.js';

@ApiTags('admin')
@RequireAdminKey()
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly origins: PublishableOrigins,
    private readonly erasures: ErasureService,
  ) {}

  @Post('tenants')
  @ApiOperation({ operationId: 'createTenant', summary: 'Create a tenant' })
  @ApiCreatedResponse({ type: TenantDto })
  createTenant(@Body() body: CreateTenantDto): Promise<TenantDto> {
    return this.tenancy.createTenant(body.id, body.name ?? body.id);
  }

  @Get('tenants')
  @ApiOperation({
    operationId: 'listTenants',
    summary: 'List tenants',
    description: `Ordered by id, at most \`limit\` (${MAX_ADMIN_PAGE}) per page; pass the last id as \`after\` for the next.`,
  })
  @ApiOkResponse({ type: [TenantDto] })
  listTenants(@Query() query: AdminListQueryDto): Promise<TenantDto[]> {
    return this.tenancy.listTenants({ limit: query.limit ?? MAX_ADMIN_PAGE, after: query.after });
  }

  @Delete('tenants/:id')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'deleteTenant',
    summary: 'Delete a tenant, its keys and all its data (by job)',
    description:
      'Its API keys are revoked before the answer (other API processes stop accepting them within ' +
      'their 5 s key cache); a job then removes every row of the tenant and finally the tenant. ' +
      'Progress: GET /api/ai-behavior/erasures/{erasureId} with this admin key (docs/privacy.md).',
  })
  @ApiAcceptedResponse({ type: ErasureAcceptedDto })
  @ApiErrorResponses({ 404: 'No such tenant (tenant_not_found)' })
  async deleteTenant(@Param('id') tenantId: string): Promise<ErasureAcceptedDto> {
    if (!(await this.tenancy.revokeTenantKeys(tenantId)))
      throw notFound('tenant_not_found', `Tenant "${tenantId}" not found`);
    this.authenticator.forget();
    this.origins.forget();
    const erasure = await this.erasures.requestTenant(tenantId, 'admin-key');
    return { erasureId: erasure.id, status: erasure.status };
  }

  @Post('tenants/:id/api-keys')
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key; the key is returned once' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async createApiKey(
    @Param('id') tenantId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const spec = newApiKey(body);
    const { id, key, view } = await this.tenancy.createApiKey(tenantId, spec);
    if (spec.type === 'publishable') this.origins.forget();
    return {
      id,
      key,
      tenantId,
      scopes: view.scopes,
      type: view.type,
      allowedOrigins: view.allowedOrigins,
      allowedSchemas: view.allowedSchemas,
    };
  }

  @Get('tenants/:id/api-keys')
  @ApiOperation({
    operationId: 'listApiKeys',
    summary: "List a tenant's API keys (never the keys themselves)",
    description: `Oldest first, at most \`limit\` (${MAX_ADMIN_PAGE}) per page; pass the last key id as \`after\` for the next.`,
  })
  @ApiOkResponse({ type: [ApiKeyDto] })
  listApiKeys(@Param('id') tenantId: string, @Query() query: AdminListQueryDto): Promise<ApiKeyDto[]> {
    return this.tenancy.listApiKeys(tenantId, { limit: query.limit ?? MAX_ADMIN_PAGE, after: query.after });
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key' })
  @ApiNoContentResponse()
  async revokeApiKey(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    if (!(await this.tenancy.revokeApiKey(id))) {
      throw new NotFoundException({ message: `API key ${id} not found`, code: 'api_key_not_found' });
    }
    this.authenticator.forget();
    this.origins.forget();
  }
}

function newApiKey(body: CreateApiKeyDto): NewApiKey {
  if (body.type === 'publishable') {
    // What a web page exposes must not read or administer anything.
    if (body.scopes && body.scopes.some((s) => s !== 'ingest')) {
      throw badRequest(
        'publishable_key_scopes',
        'A publishable key is ingest-only: scopes may only be ["ingest"]',
      );
    }
    return {
      type: 'publishable',
      scopes: ['ingest'],
      allowedOrigins: body.allowedOrigins!,
      allowedSchemas: body.allowedSchemas,
    };
  }
  if (body.allowedOrigins || body.allowedSchemas) {
    throw badRequest(
      'publishable_only_field',
      'allowedOrigins and allowedSchemas apply to publishable keys (type "publishable") only',
    );
  }
  return { type: 'secret', scopes: body.scopes! };
}
