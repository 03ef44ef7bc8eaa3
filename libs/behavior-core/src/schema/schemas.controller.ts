import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { SCHEMA_REGISTRY } from '../behavior-core.tokens.js';
import type { SignalSchemaDefinition } from '../contracts/signal-schema.js';
import { notFound, RequireScopes } from '@lssm/nest-common';
import { QueryParamReader, type RawQuery } from '../queries/query-param.reader.js';
import type { SchemaRegistry } from './schema-registry.js';
import { SignalSchemaDto, SignalSchemaListDto, SignalSchemaVersionsDto } from './signal-schema.dto.js';

/** The registry loaded at start-up; the same for every tenant. */
@ApiTags('schemas')
@RequireScopes('read')
@Controller('api/ai-behavior/schemas')
export class SchemasController {
  constructor(@Inject(SCHEMA_REGISTRY) private readonly registry: SchemaRegistry) {}

  @Get()
  @ApiOperation({ operationId: 'listSchemas', summary: 'Signal schema definitions (every version)' })
  @ApiQuery({ name: 'domain', required: false, type: String })
  @ApiQuery({ name: 'version', required: false, schema: { type: 'integer', minimum: 1 } })
  @ApiOkResponse({ type: SignalSchemaListDto })
  @ApiBadRequestResponse({ description: 'Bad parameter (details[])' })
  list(@Query() raw: RawQuery): SignalSchemaListDto {
    const reader = new QueryParamReader(raw);
    const domain = reader.string('domain', 128);
    const version = reader.integer('version', 1, 1_000_000);
    reader.rejectUnknown();
    reader.done();
    return { items: this.registry.list({ domain, version }).map(toSchemaDto) };
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getSchema',
    summary: 'All versions of one schema, each with its JSON Schema',
  })
  @ApiOkResponse({ type: SignalSchemaVersionsDto })
  @ApiNotFoundResponse({ description: 'Unknown schema id' })
  get(@Param('id') id: string): SignalSchemaVersionsDto {
    const versions = this.registry.versions(id);
    if (versions.length === 0) {
      throw notFound('schema_not_found', `Unknown schema "${id}"`);
    }
    return {
      id,
      latestVersion: versions.at(-1)!,
      versions: versions.map((version) => ({
        ...toSchemaDto(this.registry.get(id, version)!),
        jsonSchema: this.registry.jsonSchema(id, version)! as Record<string, unknown>,
      })),
    };
  }
}

// The normalized definitions are plain frozen data already shaped like the DTO.
function toSchemaDto(definition: SignalSchemaDefinition): SignalSchemaDto {
  return definition as unknown as SignalSchemaDto;
}
