import { defineEntity, p } from '@mikro-orm/core';
import type { OverlaySignature } from '../signing/overlay-signature.types.js';
import type { OverlayScope, OverlaySpec } from '../spec/overlay.types.js';

export const OVERLAY_STATUSES = ['draft', 'signed', 'archived'] as const;

/**
 * One row per overlay version. role, userId and device duplicate the scope for filtering;
 * at most one draft per overlay (a partial unique index in the migration).
 */
export const OverlayEntity = defineEntity({
  name: 'Overlay',
  tableName: 'overlays',
  properties: {
    tenantId: p.text().primary(),
    overlayId: p.text().primary(),
    version: p.integer().primary(),
    capability: p.text(),
    scope: p.json<OverlayScope>(),
    role: p.text().nullable(),
    userId: p.text().nullable(),
    device: p.text().nullable(),
    spec: p.json<OverlaySpec>(),
    signature: p.json<OverlaySignature>().nullable(),
    keyId: p.text().nullable(),
    status: p.enum(OVERLAY_STATUSES),
    signedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
