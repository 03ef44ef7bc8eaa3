import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { BehaviorErasureHook } from '../contracts/behavior-erasure-hook.js';
import { discoverDecoratedProviders } from '../nest/discover-providers.js';
import { RegisterErasureHook } from './erasure-hook.decorator.js';

const HOOK_NAME = /^[a-z][a-z0-9_.-]{0,62}$/;

/**
 * Every `@RegisterErasureHook()` provider, collected once at start-up. All of them run (an
 * erasure that skipped one would leave data behind), so there is no list to configure; start-up
 * fails on a hook without erase methods or a duplicate name.
 */
@Injectable()
export class ErasureHookRegistry implements OnModuleInit {
  private hooks: BehaviorErasureHook[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const byName = new Map<string, BehaviorErasureHook>();
    for (const { instance } of discoverDecoratedProviders(this.discovery, RegisterErasureHook)) {
      const hook = instance as Partial<BehaviorErasureHook>;
      const where = instance.constructor.name;
      if (typeof hook.name !== 'string' || !HOOK_NAME.test(hook.name))
        throw new Error(`Erasure hook ${where} needs a lowercase name (got ${String(hook.name)})`);
      if (typeof hook.eraseUser !== 'function' || typeof hook.eraseTenant !== 'function')
        throw new Error(`Erasure hook "${hook.name}" (${where}) must implement eraseUser and eraseTenant`);
      if (hook.phase !== undefined && hook.phase !== 'before-core' && hook.phase !== 'after-core')
        throw new Error(`Erasure hook "${hook.name}" has an unknown phase "${String(hook.phase)}"`);
      if (byName.has(hook.name)) throw new Error(`Erasure hook "${hook.name}" is registered twice`);
      byName.set(hook.name, hook as BehaviorErasureHook);
    }
    this.hooks = [...byName.values()];
    new Logger('ErasureHookRegistry').log(
      `erasure hooks registered: ${this.hooks.map((h) => h.name).join(', ') || 'none'}`,
    );
  }

  all(): readonly BehaviorErasureHook[] {
    return this.hooks;
  }
}
