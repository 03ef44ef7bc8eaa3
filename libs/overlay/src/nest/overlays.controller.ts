import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SignedOverlay } from '../signing/overlay-signature.types.js';
import { OverlayTenant, RequireOverlayAdmin, RequireOverlayRead } from './overlay-auth.decorators.js';
import {
  ArchiveResultDto,
  CreateOverlayDto,
  ListOverlaysQueryDto,
  OverlayDto,
  OverlayListDto,
  OverlayVersionQueryDto,
  SignedOverlayDto,
  SignOverlayRequestDto,
  UpdateOverlayDto,
  VerifyResultDto,
} from './overlay.dto.js';
import {
  ApplyRequestDto,
  ApplyResultDto,
  AuditPageDto,
  AuditQueryDto,
  BaseSpecBodyDto,
  BaseSpecDto,
  PropertyProvenanceDto,
  ResolveQueryDto,
  ResolveResultDto,
} from './overlay-runtime.dto.js';
import { MAX_LISTED_BASE_SPECS } from './base-spec.repository.js';
import { OverlaysService } from './overlays.service.js';

/**
 * Every handler takes the tenant from the API key (OverlayTenant), never from the path or body,
 * and every query is scoped by it.
 */
@ApiTags('overlays')
@ApiExtraModels(PropertyProvenanceDto)
@Controller('api/overlays')
export class OverlaysController {
  constructor(private readonly overlays: OverlaysService) {}

  @Post()
  @RequireOverlayAdmin()
  @ApiOperation({
    operationId: 'createOverlayDraft',
    summary: 'Create a draft: version 1, or the next version of a signed overlay',
  })
  @ApiCreatedResponse({ type: OverlayDto })
  create(@OverlayTenant() tenantId: string, @Body() body: CreateOverlayDto): Promise<OverlayDto> {
    return this.overlays.createDraft(tenantId, body);
  }

  @Get()
  @RequireOverlayRead()
  @ApiOperation({
    operationId: 'listOverlays',
    summary: 'List overlay versions (newest version first per overlay)',
  })
  @ApiOkResponse({ type: OverlayListDto })
  list(@OverlayTenant() tenantId: string, @Query() query: ListOverlaysQueryDto): Promise<OverlayListDto> {
    return this.overlays.list(tenantId, query);
  }

  @Get('resolve')
  @RequireOverlayRead()
  @ApiOperation({
    operationId: 'resolveOverlays',
    summary: 'The signed overlays that apply to a context, least specific first, merged with provenance',
  })
  @ApiOkResponse({ type: ResolveResultDto })
  resolve(@OverlayTenant() tenantId: string, @Query() query: ResolveQueryDto): Promise<ResolveResultDto> {
    return this.overlays.resolve(tenantId, query);
  }

  @Post('apply')
  @HttpCode(200)
  @RequireOverlayRead()
  @ApiOperation({ operationId: 'applyOverlays', summary: 'Apply the overlays to a base spec (audited)' })
  @ApiOkResponse({ type: ApplyResultDto })
  async apply(@OverlayTenant() tenantId: string, @Body() body: ApplyRequestDto): Promise<ApplyResultDto> {
    const result = await this.overlays.apply(tenantId, body);
    // provenance is a lazy getter on a frozen object: spell it out for the serializer.
    return {
      spec: result.spec as never,
      applied: [...result.applied],
      provenance: result.provenance as never,
      warnings: [...result.warnings],
    };
  }

  @Post('verify')
  @HttpCode(200)
  @RequireOverlayRead()
  @ApiOperation({
    operationId: 'verifyOverlay',
    summary: "Verify a signed overlay against the caller's keys",
  })
  @ApiOkResponse({ type: VerifyResultDto })
  verify(@OverlayTenant() tenantId: string, @Body() body: SignedOverlayDto): Promise<VerifyResultDto> {
    return this.overlays.verify(tenantId, toSigned(body));
  }

  @Post('signed')
  @RequireOverlayAdmin()
  @ApiOperation({
    operationId: 'importSignedOverlay',
    summary: 'Store an overlay signed outside the server with one of the tenant keys',
  })
  @ApiCreatedResponse({ type: OverlayDto })
  importSigned(@OverlayTenant() tenantId: string, @Body() body: SignedOverlayDto): Promise<OverlayDto> {
    return this.overlays.importSigned(tenantId, toSigned(body));
  }

  @Get('audit')
  @RequireOverlayRead()
  @ApiOperation({ operationId: 'listOverlayAudit', summary: 'Overlay applications, newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  audit(@OverlayTenant() tenantId: string, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.overlays.audit(tenantId, query);
  }

  @Get('base-specs')
  @RequireOverlayRead()
  @ApiOperation({
    operationId: 'listBaseSpecs',
    summary: `Capabilities with a stored base spec, by name (at most ${MAX_LISTED_BASE_SPECS})`,
  })
  @ApiOkResponse({ type: [String] })
  listBaseSpecs(@OverlayTenant() tenantId: string): Promise<string[]> {
    return this.overlays.listBaseSpecs(tenantId);
  }

  @Get('base-specs/:capability')
  @RequireOverlayRead()
  @ApiOperation({ operationId: 'getBaseSpec', summary: 'The stored base spec of a capability' })
  @ApiOkResponse({ type: BaseSpecDto })
  getBaseSpec(
    @OverlayTenant() tenantId: string,
    @Param('capability') capability: string,
  ): Promise<BaseSpecDto> {
    return this.overlays.getBaseSpec(tenantId, capability);
  }

  @Put('base-specs/:capability')
  @RequireOverlayAdmin()
  @ApiOperation({ operationId: 'putBaseSpec', summary: 'Store (replace) the base spec of a capability' })
  @ApiOkResponse({ type: BaseSpecDto })
  putBaseSpec(
    @OverlayTenant() tenantId: string,
    @Param('capability') capability: string,
    @Body() body: BaseSpecBodyDto,
  ): Promise<BaseSpecDto> {
    return this.overlays.putBaseSpec(tenantId, capability, body.fields);
  }

  @Get(':overlayId')
  @RequireOverlayRead()
  @ApiOperation({ operationId: 'getOverlay', summary: 'An overlay version (the newest by default)' })
  @ApiOkResponse({ type: OverlayDto })
  get(
    @OverlayTenant() tenantId: string,
    @Param('overlayId') overlayId: string,
    @Query() query: OverlayVersionQueryDto,
  ): Promise<OverlayDto> {
    return this.overlays.get(tenantId, overlayId, query.version);
  }

  @Put(':overlayId')
  @RequireOverlayAdmin()
  @ApiOperation({
    operationId: 'updateOverlayDraft',
    summary: 'Replace the operations (and scope) of the draft',
  })
  @ApiOkResponse({ type: OverlayDto })
  update(
    @OverlayTenant() tenantId: string,
    @Param('overlayId') overlayId: string,
    @Body() body: UpdateOverlayDto,
  ): Promise<OverlayDto> {
    return this.overlays.updateDraft(tenantId, overlayId, body);
  }

  @Post(':overlayId/sign')
  @HttpCode(200)
  @RequireOverlayAdmin()
  @ApiOperation({
    operationId: 'signOverlay',
    summary: "Sign the draft with one of the tenant's server-held keys",
  })
  @ApiOkResponse({ type: OverlayDto })
  sign(
    @OverlayTenant() tenantId: string,
    @Param('overlayId') overlayId: string,
    @Body() body: SignOverlayRequestDto,
  ): Promise<OverlayDto> {
    return this.overlays.sign(tenantId, overlayId, body);
  }

  @Post(':overlayId/archive')
  @HttpCode(200)
  @RequireOverlayAdmin()
  @ApiOperation({
    operationId: 'archiveOverlay',
    summary: 'Archive every version; the overlay stops applying',
  })
  @ApiOkResponse({ type: ArchiveResultDto })
  archive(
    @OverlayTenant() tenantId: string,
    @Param('overlayId') overlayId: string,
  ): Promise<ArchiveResultDto> {
    return this.overlays.archive(tenantId, overlayId);
  }
}

/** Rebuilt as plain JSON: the signature DTO instance must not carry undefined own properties. */
function toSigned(body: SignedOverlayDto): SignedOverlay {
  const s = body.signature;
  return {
    spec: body.spec as never,
    signature: { keyId: s.keyId, algorithm: s.algorithm as never, signedAt: s.signedAt, value: s.value },
  };
}
