import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, RequireScopes, TenantId } from '@lssm/nest-common';
import { EmbeddingSearchRequestDto, EmbeddingSearchResponseDto } from './embedding-search.dto.js';
import { EmbeddingSearchService } from './embedding-search.service.js';

@ApiTags('embeddings')
@Controller('api/ai-behavior/embeddings')
export class EmbeddingsController {
  constructor(private readonly searchService: EmbeddingSearchService) {}

  @Post('search')
  @HttpCode(200)
  @RequireScopes('read')
  @ApiOperation({
    operationId: 'searchEmbeddings',
    summary: "Signals whose embedded text is nearest to a text or vector (exact cosine search, tenant's own)",
    description:
      'Searches the vectors of the configured provider and model. Codes: text_or_vector (neither or both ' +
      "given), vector_dimensions (not the provider's length), invalid_range.",
  })
  @ApiBody({ type: EmbeddingSearchRequestDto })
  @ApiOkResponse({ type: EmbeddingSearchResponseDto })
  @ApiErrorResponses({
    400: 'Neither or both of text and vector, wrong vector length, bad filter (details[])',
    503: 'Database unavailable (Retry-After)',
  })
  search(
    @TenantId() tenantId: string,
    @Body() body: EmbeddingSearchRequestDto,
  ): Promise<EmbeddingSearchResponseDto> {
    return this.searchService.search(tenantId, body);
  }
}
