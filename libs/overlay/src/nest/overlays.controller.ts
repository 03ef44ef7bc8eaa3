import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SignedOverlay } from '../signing/overlay-signature.types.js';
import { RequireAnyScope, RequireScopes, TenantId } from '@lssm/nest-common';
import {
  ArchiveResultDto,
  CreateOverlayDto,
  ListOverlaysQueryDto,
  OverlayDto,
  OverlayListDto,
  OVERLAY_OPERATION_DTOS,
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
 * Every handler takes the tenant from the API key (TenantId), never from the path or body,
 * and every query is scoped by it.
 */
@ApiTags('overlays')
@ApiExtraModels(PropertyProvenanceDto, ...OVERLAY_OPERATION_DTOS)
@Controller('api/overlays')
export class OverlaysController {
  constructor(private readonly overlays: OverlaysService) {}

  @Post()
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'createOverlayDraft',
    summary: 'Create a draft: version 1, or the next version of a signed overlay',
  })
  @ApiCreatedResponse({ type: OverlayDto })
  create(@TenantId() tenantId: string, @Body() body: CreateOverlayDto): Promise<OverlayDto> {
    return this.overlays.createDraft(tenantId, body);
  }

  @Get()
  @RequireAnyScope('read', 'admin')
  @ApiOperation({
    operationId: 'listOverlays',
    summary: 'List overlay versions (newest version first per overlay)',
  })
  @ApiOkResponse({ type: OverlayListDto })
  list(@TenantId() tenantId: string, @Query() query: ListOverlaysQueryDto): Promise<OverlayListDto> {
    return this.overlays.list(tenantId, query);
  }

  @Get('resolve')
  @RequireAnyScope('read', 'admin', 'overlay:resolve')
  @ApiOperation({
    operationId: 'resolveOverlays',
    summary: 'The signed overlays that apply to a context, least specific first, merged with provenance',
  })
  @ApiOkResponse({ type: ResolveResultDto })
  resolve(@TenantId() tenantId: string, @Query() query: ResolveQueryDto): Promise<ResolveResultDto> {
    return this.overlays.resolve(tenantId, query);
  }

  @Post('apply')
  @HttpCode(200)
  @RequireAnyScope('read', 'admin')
  @ApiOperation({ operationId: 'applyOverlays', summary: 'Apply the overlays to a base spec (audited)' })
  @ApiOkResponse({ type: ApplyResultDto })
  async apply(@TenantId() tenantId: string, @Body() body: ApplyRequestDto): Promise<ApplyResultDto> {
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
  @RequireAnyScope('read', 'admin')
  @ApiOperation({
    operationId: 'verifyOverlay',
    summary: "Verify a signed overlay against the caller's keys",
  })
  @ApiOkResponse({ type: VerifyResultDto })
  verify(@TenantId() tenantId: string, @Body() body: SignedOverlayDto): Promise<VerifyResultDto> {
    return this.overlays.verify(tenantId, toSigned(body));
  }

  @Post('signed')
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'importSignedOverlay',
    summary: 'Store an overlay signed outside the server with one of the tenant keys',
  })
  @ApiCreatedResponse({ type: OverlayDto })
  importSigned(@TenantId() tenantId: string, @Body() body: SignedOverlayDto): Promise<OverlayDto> {
    return this.overlays.importSigned(tenantId, toSigned(body));
  }

  @Get('audit')
  @RequireAnyScope('read', 'admin')
  @ApiOperation({ operationId: 'listOverlayAudit', summary: 'Overlay applications, newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  audit(@TenantId() tenantId: string, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.overlays.audit(tenantId, query);
  }

  @Get('base-specs')
  @RequireAnyScope('read', 'admin')
  @ApiOperation({
    operationId: 'listBaseSpecs',
    summary: `Capabilities with a stored base spec, by name (at most ${MAX_LISTED_BASE_SPECS})`,
  })
  @ApiOkResponse({ type: [String] })
  listBaseSpecs(@TenantId() tenantId: string): Promise<string[]> {
    return this.overlays.listBaseSpecs(tenantId);
  }

  @Get('base-specs/:capability')
  @RequireAnyScope('read', 'admin')
  @ApiOperation({ operationId: 'getBaseSpec', summary: 'The stored base spec of a capability' })
  @ApiOkResponse({ type: BaseSpecDto })
  getBaseSpec(@TenantId() tenantId: string, @Param('capability') capability: string): Promise<BaseSpecDto> {
    return this.overlays.getBaseSpec(tenantId, capability);
  }

  @Put('base-specs/:capability')
  @RequireScopes('admin')
  @ApiOperation({ operationId: 'putBaseSpec', summary: 'Store (replace) the base spec of a capability' })
  @ApiOkResponse({ type: BaseSpecDto })
  putBaseSpec(
    @TenantId() tenantId: string,
    @Param('capability') capability: string,
    @Body() body: BaseSpecBodyDto,
  ): Promise<BaseSpecDto> {
    return this.overlays.putBaseSpec(tenantId, capability, body.fields);
  }

  @Get(':overlayId')
  @RequireAnyScope('read', 'admin')
  @ApiOperation({ operationId: 'getOverlay', summary: 'An overlay version (the newest by default)' })
  @ApiOkResponse({ type: OverlayDto })
  get(
    @TenantId() tenantId: string,
    @Param('overlayId') overlayId: string,
    @Query() query: OverlayVersionQueryDto,
  ): Promise<OverlayDto> {
    return this.overlays.get(tenantId, overlayId, query.version);
  }

  @Put(':overlayId')
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'updateOverlayDraft',
    summary: 'Replace the operations (and scope) of the draft',
  })
  @ApiOkResponse({ type: OverlayDto })
  update(
    @TenantId() tenantId: string,
    @Param('overlayId') overlayId: string,
    @Body() body: UpdateOverlayDto,
  ): Promise<OverlayDto> {
    return this.overlays.updateDraft(tenantId, overlayId, body);
  }

  @Post(':overlayId/sign')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'signOverlay',
    summary: "Sign the draft with one of the tenant's server-held keys",
  })
  @ApiOkResponse({ type: OverlayDto })
  sign(
    @TenantId() tenantId: string,
    @Param('overlayId') overlayId: string,
    @Body() body: SignOverlayRequestDto,
  ): Promise<OverlayDto> {
    return this.overlays.sign(tenantId, overlayId, body);
  }

  @Post(':overlayId/archive')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'archiveOverlay',
    summary: 'Archive every version; the overlay stops applying',
  })
  @ApiOkResponse({ type: ArchiveResultDto })
  archive(@TenantId() tenantId: string, @Param('overlayId') overlayId: string): Promise<ArchiveResultDto> {
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
