import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OverlaysService } from '@lssm/overlay/nest';
import type pg from 'pg';
import { BEHAVIOR_PG_POOL, CLOCK } from '../behavior-core.tokens.js';
import type { Clock } from '../contracts/behavior-core-options.js';

/**
 * The providers the personalization API borrows from modules the host app configures:
 * BehaviorCoreModule (signal pool, clock) and OverlayModule (drafts, base specs).
 *
 * Both are `forRoot` modules owned by the app, so this module cannot import them without a second
 * instance (a second pool, a second overlay cache). They are looked up in the app's container
 * instead, once every provider exists (onModuleInit), and start-up fails naming the missing module.
 */
@Injectable()
export class PersonalizationHost implements OnModuleInit {
  private resolved?: { pool: pg.Pool; clock: Clock; overlays: OverlaysService };

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    this.resolved = {
      pool: this.lookup<pg.Pool>(BEHAVIOR_PG_POOL, 'BehaviorCoreModule.forRoot(...)'),
      clock: this.lookup<Clock>(CLOCK, 'BehaviorCoreModule.forRoot(...)'),
      overlays: this.lookup<OverlaysService>(
        OverlaysService,
        'OverlayModule.forRoot(...) from @lssm/overlay/nest',
      ),
    };
  }

  get pool(): pg.Pool {
    return this.dependencies.pool;
  }

  get clock(): Clock {
    return this.dependencies.clock;
  }

  get overlays(): OverlaysService {
    return this.dependencies.overlays;
  }

  private get dependencies() {
    if (!this.resolved) throw new Error('PersonalizationHost used before module initialisation');
    return this.resolved;
  }

  private lookup<T>(token: symbol | Type<T>, module: string): T {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch (cause) {
      throw new Error(`PersonalizationModule needs the app to import ${module}`, { cause });
    }
  }
}
