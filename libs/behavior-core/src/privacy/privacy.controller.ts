import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiErrorResponses,
  CurrentPrincipal,
  notFound,
  RequireScopes,
  RequireTenantAdmin,
  TenantId,
  type Principal,
} from '@lssm/nest-common';
import { QueryParamReader, type RawQuery } from '../queries/query-param.reader.js';
import { MAX_USER_ID_LENGTH, UserIdPipe } from '../queries/user-id.pipe.js';
import type { ErasureRecord } from './erasure.repository.js';
import { ErasureService } from './erasure.service.js';
import { ErasureAcceptedDto, ErasureDto, SuppressionPageDto } from './privacy.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SUPPRESSION_PAGE = 1000;
const USER_ID_PARAM = { type: 'string', minLength: 1, maxLength: MAX_USER_ID_LENGTH } as const;

/** Who asked, for the audit row: the key id, never the key. */
export function requesterOf(principal: Principal): string {
  return principal.kind === 'tenant' ? principal.keyId : 'admin-key';
}

/** User erasure, its progress (also of tenant deletions) and the suppression list (docs/privacy.md). */
@ApiTags('privacy')
@Controller('api/ai-behavior')
export class PrivacyController {
  constructor(private readonly erasures: ErasureService) {}

  @Delete('users/:userId')
  @HttpCode(202)
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'eraseUser',
    summary: "Erase a user's data in the key's tenant (by job) and suppress their new signals",
    description:
      'The suppression is committed before the answer, so every signal written after it is refused ' +
      '(422 user_suppressed) or pseudonymized (ai.behavior.privacy.suppression.mode). Repeating the ' +
      'request while an erasure of the user is pending answers the same erasure.',
  })
  @ApiParam({ name: 'userId', schema: USER_ID_PARAM })
  @ApiAcceptedResponse({ type: ErasureAcceptedDto })
  @ApiErrorResponses({ 400: 'Bad userId (details[])', 503: 'Database unavailable (Retry-After)' })
  async eraseUser(
    @TenantId() tenantId: string,
    @CurrentPrincipal() principal: Principal,
    @Param('userId', UserIdPipe) userId: string,
  ): Promise<ErasureAcceptedDto> {
    const erasure = await this.erasures.requestUser(tenantId, userId, requesterOf(principal));
    return { erasureId: erasure.id, status: erasure.status };
  }

  @Get('erasures/:id')
  @RequireTenantAdmin()
  @ApiOperation({
    operationId: 'getErasure',
    summary: 'Progress of an erasure or tenant deletion: status, rows removed per table, times',
    description:
      'A tenant admin key sees its tenant’s erasures; BEHAVIOR_ADMIN_KEY every one (tenant deletions too).',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: ErasureDto })
  @ApiErrorResponses({ 404: 'No such erasure for this key (erasure_not_found)' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ErasureDto> {
    const tenantId = principal.kind === 'tenant' ? principal.tenantId : undefined;
    const erasure: ErasureRecord | null = UUID.test(id) ? await this.erasures.get(id, tenantId) : null;
    if (!erasure) throw notFound('erasure_not_found', `No erasure ${id}`);
    return erasure;
  }

  @Get('suppressions')
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'listSuppressions',
    summary: "The tenant's suppressed users, as keyed hashes (never the ids)",
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_SUPPRESSION_PAGE, default: 100 },
  })
  @ApiQuery({
    name: 'after',
    required: false,
    type: String,
    description: 'The last userHash of the previous page',
  })
  @ApiOkResponse({ type: SuppressionPageDto })
  @ApiErrorResponses({ 400: 'Bad parameter (details[])' })
  async list(@TenantId() tenantId: string, @Query() raw: RawQuery): Promise<SuppressionPageDto> {
    const reader = new QueryParamReader(raw);
    const limit = reader.integer('limit', 1, MAX_SUPPRESSION_PAGE) ?? 100;
    const after = reader.string('after', 64);
    reader.rejectUnknown();
    reader.done();
    const items = await this.erasures.listSuppressions(tenantId, limit, after);
    return { items, nextAfter: items.length === limit ? items[items.length - 1].userHash : null };
  }

  @Delete('suppressions/:userId')
  @HttpCode(204)
  @RequireScopes('admin')
  @ApiOperation({
    operationId: 'liftSuppression',
    summary: "Lift a user's suppression: their new signals are stored as before",
    description:
      'Takes the user id (hashed with the tenant key to find the entry). What was erased stays erased.',
  })
  @ApiParam({ name: 'userId', schema: USER_ID_PARAM })
  @ApiNoContentResponse({ description: 'Lifted' })
  @ApiErrorResponses({ 400: 'Bad userId', 404: 'The user is not suppressed (suppression_not_found)' })
  async lift(@TenantId() tenantId: string, @Param('userId', UserIdPipe) userId: string): Promise<void> {
    if (!(await this.erasures.liftSuppression(tenantId, userId)))
      throw notFound('suppression_not_found', 'This user is not suppressed');
  }
}
