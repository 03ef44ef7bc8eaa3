import 'reflect-metadata';
import type { DiscoveryService } from '@nestjs/core';
import { RegisterErasureHook } from './erasure-hook.decorator.js';
import { ErasureHookRegistry } from './erasure-hook.registry.js';

const discovery = (...instances: object[]) =>
  ({ getProviders: () => instances.map((instance) => ({ instance })) }) as unknown as DiscoveryService;

@RegisterErasureHook()
class Orders {
  readonly name = 'orders';
  eraseUser = async () => 3;
  eraseTenant = async () => 7;
}

@RegisterErasureHook()
class LateSinks {
  readonly name = 'late';
  readonly phase = 'after-core';
  eraseUser = async () => 0;
  eraseTenant = async () => 0;
}

@RegisterErasureHook()
class UserOnly {
  readonly name = 'user-only';
  eraseUser = async () => 0;
}

@RegisterErasureHook()
class BadPhase {
  readonly name = 'bad-phase';
  readonly phase = 'whenever';
  eraseUser = async () => 0;
  eraseTenant = async () => 0;
}

class Undecorated {
  readonly name = 'ignored';
  eraseUser = async () => 0;
  eraseTenant = async () => 0;
}

describe('ErasureHookRegistry', () => {
  it('collects every decorated hook once, whatever the module order, and nothing undecorated', () => {
    const orders = new Orders();
    const registry = new ErasureHookRegistry(discovery(orders, new Undecorated(), orders, new LateSinks()));
    registry.onModuleInit();
    expect(registry.all().map((h) => [h.name, h.phase ?? 'before-core'])).toEqual([
      ['orders', 'before-core'],
      ['late', 'after-core'],
    ]);
  });

  it('stops start-up on a duplicate name, a missing erase method or an unknown phase', () => {
    expect(() => new ErasureHookRegistry(discovery(new Orders(), new Orders())).onModuleInit()).toThrow(
      'Erasure hook "orders" is registered twice',
    );
    expect(() => new ErasureHookRegistry(discovery(new UserOnly())).onModuleInit()).toThrow(
      /must implement eraseUser and eraseTenant/,
    );
    expect(() => new ErasureHookRegistry(discovery(new BadPhase())).onModuleInit()).toThrow(/unknown phase/);
  });
});
