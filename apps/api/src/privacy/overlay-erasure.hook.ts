import { Injectable } from '@nestjs/common';
import type { Queryable } from '@lssm/nest-common';
import {
  RegisterErasureHook,
  type BehaviorErasureHook,
  type TenantErasureRequest,
  type UserErasureRequest,
} from '@lssm/behavior-core';
import { HostErasureRepository } from './host-erasure.repository.js';

/** Overlays scoped to the user and the audit of overlays applied for them; a tenant's overlay tables. */
@RegisterErasureHook()
@Injectable()
export class OverlayErasureHook implements BehaviorErasureHook {
  readonly name = 'overlays';

  eraseUser({ tenantId, userId }: UserErasureRequest, db: Queryable): Promise<number> {
    return new HostErasureRepository(db).eraseOverlayUser(tenantId, userId);
  }

  eraseTenant({ tenantId }: TenantErasureRequest, db: Queryable): Promise<number> {
    return new HostErasureRepository(db).eraseOverlayTenant(tenantId);
  }
}
