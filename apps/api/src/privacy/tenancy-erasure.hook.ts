import { Injectable } from '@nestjs/common';
import type { Queryable } from '@lssm/nest-common';
import {
  RegisterErasureHook,
  type BehaviorErasureHook,
  type TenantErasureRequest,
} from '@lssm/behavior-core';
import { HostErasureRepository } from './host-erasure.repository.js';

/** Tenant deletion: workflows, API keys and the tenant row. Nothing here is per user. */
@RegisterErasureHook()
@Injectable()
export class TenancyErasureHook implements BehaviorErasureHook {
  readonly name = 'tenancy';

  async eraseUser(): Promise<number> {
    return 0; // tenants, keys and workflows name no user
  }

  eraseTenant({ tenantId }: TenantErasureRequest, db: Queryable): Promise<number> {
    return new HostErasureRepository(db).eraseTenancy(tenantId);
  }
}
