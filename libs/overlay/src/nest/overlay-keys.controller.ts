import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireAnyScope, RequireScopes, TenantId } from '@lssm/nest-common';
import { CreateSigningKeyDto, RevokeSigningKeyDto, SigningKeyDto } from './overlay-keys.dto.js';
import { SigningKeysService } from './signing-keys.service.js';

/** Signing keys of the caller's tenant. No route returns a private key, in any form. */
@ApiTags('overlays')
@Controller('api/overlays/keys')
export class OverlayKeysController {
  constructor(private readonly keys: SigningKeysService) {}

  @Post()
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'createOverlaySigningKey',
    summary: 'Generate a key pair (private key kept encrypted) or import a PEM public key',
  })
  @ApiCreatedResponse({ type: SigningKeyDto })
  create(@TenantId() tenantId: string, @Body() body: CreateSigningKeyDto): Promise<SigningKeyDto> {
    return this.keys.create(tenantId, body);
  }

  @Get()
  @RequireAnyScope('read', 'admin')
  @ApiOperation({ operationId: 'listOverlaySigningKeys', summary: 'Public keys of the tenant' })
  @ApiOkResponse({ type: [SigningKeyDto] })
  list(@TenantId() tenantId: string): Promise<SigningKeyDto[]> {
    return this.keys.list(tenantId);
  }

  @Post(':keyId/revoke')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'revokeOverlaySigningKey',
    summary: 'Revoke a key; its private key is destroyed and it never signs again',
  })
  @ApiOkResponse({ type: SigningKeyDto })
  revoke(
    @TenantId() tenantId: string,
    @Param('keyId') keyId: string,
    @Body() body: RevokeSigningKeyDto,
  ): Promise<SigningKeyDto> {
    // @IsOptional lets null through: null means "not given" (now), like an absent field.
    return this.keys.revoke(tenantId, keyId, body?.revokedAt ?? undefined);
  }
}
