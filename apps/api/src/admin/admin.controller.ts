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
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator.js';
import { RequireAdminKey } from '@lssm/nest-common';
import { TenancyService } from '../tenancy/tenancy.service.js';
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

  @Post('tenants/:id/api-keys')
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key; the key is returned once' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async createApiKey(
    @Param('id') tenantId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const { id, key, view } = await this.tenancy.createApiKey(tenantId, body.scopes);
    return { id, key, tenantId, scopes: view.scopes };
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
  }
}
