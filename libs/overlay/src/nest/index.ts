export { OverlayModule } from './overlay.module.js';
export type { OverlayModuleOptions } from './overlay-module.options.js';
export { OVERLAY_AUDIT_SINK, OVERLAY_KEY_ENCRYPTION, OVERLAY_MODULE_OPTIONS } from './overlay-nest.tokens.js';
export { KeyEncryption, KeyEncryptionUnavailableError } from './key-encryption.js';
export { OverlaysService } from './overlays.service.js';
export { OverlayDto } from './overlay.dto.js';
export { SigningKeysService } from './signing-keys.service.js';
export { TenantOverlayRegistryCache } from './tenant-overlay-registry.cache.js';
export { PostgresOverlayAuditSink } from './postgres-overlay-audit.sink.js';
export { OVERLAY_EDITOR_HTML, OVERLAY_EDITOR_SCRIPT } from './overlay-editor.page.js';
export { OverlayAuditRepository } from './overlay-audit.repository.js';
export {
  OverlayUserDataRepository,
  type OverlayUserDataAfter,
  type OverlayUserDataPage,
} from './overlay-user-data.repository.js';
