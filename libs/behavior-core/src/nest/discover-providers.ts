import type { DiscoverableDecorator, DiscoveryService } from '@nestjs/core';

export interface DecoratedProvider<T> {
  readonly instance: object;
  readonly options: T;
}

/**
 * Every provider instance whose class carries `decorator`, in module order. Scans the
 * instances rather than `getProviders({ metadataKey })` so factory providers whose
 * product is a decorated class are found too; an instance met twice is listed once.
 */
export function discoverDecoratedProviders<T>(
  discovery: DiscoveryService,
  decorator: DiscoverableDecorator<T>,
): DecoratedProvider<T>[] {
  const seen = new Set<object>();
  const found: DecoratedProvider<T>[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
    seen.add(instance);
    const options = Reflect.getMetadata(decorator.KEY, instance.constructor) as T | undefined;
    if (options !== undefined) found.push({ instance, options });
  }
  return found;
}

/** Every decorated method of every provider instance (`decorator` applied to a method). */
export function discoverDecoratedMethods<T>(
  discovery: DiscoveryService,
  decorator: DiscoverableDecorator<T>,
): { instance: object; method: string; options: T }[] {
  const seen = new Set<object>();
  const found: { instance: object; method: string; options: T }[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
    seen.add(instance);
    for (const method of methodNames(Object.getPrototypeOf(instance) as object)) {
      const fn = instance[method];
      if (typeof fn !== 'function') continue;
      const options = Reflect.getMetadata(decorator.KEY, fn) as T | undefined;
      if (options !== undefined) found.push({ instance, method, options });
    }
  }
  return found;
}

function methodNames(prototype: object | null): string[] {
  const names = new Set<string>();
  for (let p = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    // Only plain methods: reading a getter here would run it during start-up.
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, name)?.value === 'function')
        names.add(name);
    }
  }
  return [...names];
}
