import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OverlayTenant, RequireOverlayAdmin, RequireOverlayRead } from './overlay-auth.decorators.js';
import { CreateSigningKeyDto, RevokeSigningKeyDto, SigningKeyDto } from './overlay-keys.dto.js';
import { SigningKeysService } from './signing-keys.service.js';

/** Signing keys of the caller's tenant. No route returns a private key, in any form. */
@ApiTags('overlays')
@Controller('api/overlays/keys')
export class OverlayKeysController {
  constructor(private readonly keys: SigningKeysService) {}

  @Post()
  @RequireOverlayAdmin()
  @ApiOperation({
    operationId: 'createOverlaySigningKey',
    summary: 'Generate a key pair (private key kept encrypted) or import a PEM public key',
  })
  @ApiCreatedResponse({ type: SigningKeyDto })
  create(@OverlayTenant() tenantId: string, @Body() body: CreateSigningKeyDto): Promise<SigningKeyDto> {
    return this.keys.create(tenantId, body);
  }

  @Get()
  @RequireOverlayRead()
  @ApiOperation({ operationId: 'listOverlaySigningKeys', summary: 'Public keys of the tenant' })
  @ApiOkResponse({ type: [SigningKeyDto] })
  list(@OverlayTenant() tenantId: string): Promise<SigningKeyDto[]> {
    return this.keys.list(tenantId);
  }

  @Post(':keyId/revoke')
  @HttpCode(200)
  @RequireOverlayAdmin()
  @ApiOperation({
    operationId: 'revokeOverlaySigningKey',
    summary: 'Revoke a key; its private key is destroyed and it never signs again',
  })
  @ApiOkResponse({ type: SigningKeyDto })
  revoke(
    @OverlayTenant() tenantId: string,
    @Param('keyId') keyId: string,
    @Body() body: RevokeSigningKeyDto,
  ): Promise<SigningKeyDto> {
    // @IsOptional lets null through: null means "not given" (now), like an absent field.
    return this.keys.revoke(tenantId, keyId, body?.revokedAt ?? undefined);
  }
}
