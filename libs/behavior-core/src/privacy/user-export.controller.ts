import { Controller, Get, Header, Inject, Param, StreamableFile } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiErrorResponses, RequireScopes, TenantId } from '@lssm/nest-common';
import { MAX_USER_ID_LENGTH, UserIdPipe } from '../queries/user-id.pipe.js';
import { UserExportDataLineDto, UserExportEndLineDto, UserExportHeaderLineDto } from './user-export.dto.js';
import { UserExportService } from './user-export.service.js';

export const NDJSON = 'application/x-ndjson';

// Admin scope: an export holds everything stored about a person, more than `read` reveals per call.
@ApiTags('privacy')
@RequireScopes('admin')
@ApiExtraModels(UserExportHeaderLineDto, UserExportDataLineDto, UserExportEndLineDto)
@Controller('api/ai-behavior')
export class UserExportController {
  constructor(@Inject(UserExportService) private readonly exports: UserExportService) {}

  @Get('users/:userId/export')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'exportUser',
    summary: "Everything stored about a user in the caller's tenant, streamed as NDJSON",
    description:
      'One JSON object per line: first `{"type":"export",...}` (tenant, user, generatedAt, formatVersion), ' +
      'then one line per stored row (signals, daily metrics, distinct-metric values, insights, alerts, ' +
      'failed signals naming the user, user-scoped overlays, overlay audit rows), then ' +
      '`{"type":"end","counts":{...},"total":n}`. A response without the end line is truncated. ' +
      'A user with no data gets an export with zero counts (200), not 404. Sensitive attributes are ' +
      'exported as stored (hashed or encrypted). Errors after the first line cut the connection.',
  })
  @ApiParam({ name: 'userId', schema: { type: 'string', minLength: 1, maxLength: MAX_USER_ID_LENGTH } })
  // The media type is set on the 200 only: errors are JSON (ApiProduces would relabel them too).
  @ApiOkResponse({
    description: 'NDJSON lines, each one of the schemas below',
    content: {
      [NDJSON]: {
        schema: {
          oneOf: [
            { $ref: getSchemaPath(UserExportHeaderLineDto) },
            { $ref: getSchemaPath(UserExportDataLineDto) },
            { $ref: getSchemaPath(UserExportEndLineDto) },
          ],
        },
      },
    },
  })
  @ApiErrorResponses({
    400: 'Bad userId (details[])',
    401: 'Missing or unknown API key',
    403: 'The key lacks the admin scope',
    503: 'Database unavailable (Retry-After)',
  })
  async exportUser(
    @TenantId() tenantId: string,
    @Param('userId', UserIdPipe) userId: string,
  ): Promise<StreamableFile> {
    return new StreamableFile(await this.exports.stream(tenantId, userId), { type: NDJSON });
  }
}
