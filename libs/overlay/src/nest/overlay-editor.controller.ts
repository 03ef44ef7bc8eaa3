import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { Public } from '@lssm/nest-common';
import { OVERLAY_EDITOR_CSP, OVERLAY_EDITOR_HTML, OVERLAY_EDITOR_SCRIPT } from './overlay-editor.page.js';

/**
 * Serves the editor. The page itself holds no data and needs no credentials; every call it
 * makes carries the admin's tenant API key. Not part of the JSON API, so not in OpenAPI.
 */
@Controller('overlay-editor')
export class OverlayEditorController {
  @Get()
  @Public()
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', OVERLAY_EDITOR_CSP)
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-store')
  page(): string {
    return OVERLAY_EDITOR_HTML;
  }

  @Get('editor.js')
  @Public()
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-store')
  script(): string {
    return OVERLAY_EDITOR_SCRIPT;
  }
}
