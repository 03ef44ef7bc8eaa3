import type { Logger } from '@nestjs/common';
import type { DiscoverableDecorator, DiscoveryService } from '@nestjs/core';
import { discoverDecoratedProviders } from './discover-providers.js';

/**
 * Collects the providers marked with `decorator`, checks each has a unique `name`, and
 * returns the ones `enabled` lists, in that order. Fails fast on a duplicate name or on a
 * configured name nothing registered (a typo in config must not silently drop a step).
 */
export function collectNamedExtensions<T extends { readonly name: string }>(
  discovery: DiscoveryService,
  decorator: DiscoverableDecorator<Record<string, never>>,
  kind: string,
  configKey: string,
  enabled: readonly string[],
  logger?: Logger,
): { all: Map<string, T>; active: T[] } {
  const all = new Map<string, T>();
  for (const { instance } of discoverDecoratedProviders(discovery, decorator)) {
    const ext = instance as T;
    if (typeof ext.name !== 'string' || !ext.name) {
      throw new Error(`${kind} ${instance.constructor.name} has no name`);
    }
    if (all.has(ext.name)) throw new Error(`${kind} "${ext.name}" is registered twice`);
    all.set(ext.name, ext);
  }
  const unknown = enabled.filter((name) => !all.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `${configKey} lists unknown ${kind}(s) ${unknown.map((u) => `"${u}"`).join(', ')}; registered: ${[...all.keys()].join(', ') || 'none'}`,
    );
  }
  const active = enabled.map((name) => all.get(name)!);
  logger?.log(
    `${kind}s registered: ${[...all.keys()].join(', ') || 'none'}; active (${configKey}): ${enabled.join(', ') || 'none'}`,
  );
  return { all, active };
}
