export const OVERLAY_MODULE_OPTIONS = Symbol('OVERLAY_MODULE_OPTIONS');
/** The batching audit sink shared by every tenant's engine (flushed on shutdown). */
export const OVERLAY_AUDIT_SINK = Symbol('OVERLAY_AUDIT_SINK');
/** The KeyEncryption (AES-256-GCM envelope) built from the configured key-encryption key. */
export const OVERLAY_KEY_ENCRYPTION = Symbol('OVERLAY_KEY_ENCRYPTION');
