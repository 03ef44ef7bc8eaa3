import { defineEntity, p } from '@mikro-orm/core';
import type { BaseSpec } from '../engine/overlay-engine.types.js';

export const BaseSpecEntity = defineEntity({
  name: 'OverlayBaseSpec',
  tableName: 'overlay_base_specs',
  properties: {
    tenantId: p.text().primary(),
    capability: p.text().primary(),
    spec: p.json<BaseSpec>(),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
